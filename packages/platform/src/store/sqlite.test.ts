import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite.js';
import { storeConformance } from './store-conformance.js';

storeConformance('sqlite (file)', () => openSqliteStore(join(mkdtempSync(join(tmpdir(), 'dozen-store-')), 'dozen.db')));
