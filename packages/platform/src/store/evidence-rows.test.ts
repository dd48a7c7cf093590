import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import type { EvidenceRecord } from '../core/scorecard/evidence.js';
import { runtimeResultsFrom } from '../core/scorecard/runtime-results.js';
import { testSecrets } from '../test-support/sealer.js';
import { KyselyEvidenceStore } from './evidence-rows.js';
import { openSqliteStore } from './sqlite.js';

const at = '2026-12-06T00:00:00.000Z';
const files = (process: string, release: number, paths: string[]): EvidenceRecord => ({ appId: 'a1', app: 'shop', release, process, at, kind: 'log-files', value: { paths, samples: 1 } });

it('keeps one record per release, process and kind (a newer one replaces it), read back per release, gone with the app', async () => {
  const store = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'dozen-store-')), 'dozen.db'), testSecrets());
  await store.insertApp({ id: 'a1', name: 'shop', createdAt: at, currentRelease: null });
  const evidence = new KyselyEvidenceStore(store.kysely);
  await evidence.putEvidence(files('web.1', 1, ['/tmp/app.log']));
  await evidence.putEvidence(files('web.1', 1, []));
  await evidence.putEvidence(files('web.2', 1, ['/app/x.log']));
  await evidence.putEvidence({ ...files('web.1', 1, []), kind: 'stop', value: { ms: 40, killed: false, graceMs: 30_000 } });
  await evidence.putEvidence(files('web.1', 2, ['/tmp/other.log']));
  const v1 = await evidence.listEvidence('a1', 1);
  expect(v1.map((r) => `${r.process} ${r.kind} ${JSON.stringify(r.value)}`)).toEqual([
    'web.1 log-files {"paths":[],"samples":1}',
    'web.1 stop {"ms":40,"killed":false,"graceMs":30000}',
    'web.2 log-files {"paths":["/app/x.log"],"samples":1}',
  ]);
  expect(v1[0]).toMatchObject({ app: 'shop', release: 1, at });
  const checks = await runtimeResultsFrom(evidence)({ appId: 'a1', version: 1 });
  expect(checks.find((c) => c.id === 'XI.logs-to-stdout')).toMatchObject({ status: 'fail', evidence: ['web.2 writes /app/x.log'] });
  await store.deleteApp('a1');
  expect(await evidence.listEvidence('a1', 2)).toEqual([]);
  await store.close();
});
