import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectEnvFiles, devEnvironment, graceMsOf, readEnvFiles } from './dev-env.js';

const dir = mkdtempSync(join(tmpdir(), 'dozen-dev-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the environment of dozen dev', () => {
  it('takes --env repeated or as a comma list, in order', () => {
    expect(collectEnvFiles('a.env, b.env', undefined)).toEqual(['a.env', 'b.env']);
    expect(collectEnvFiles('c.env', ['a.env', 'b.env'])).toEqual(['a.env', 'b.env', 'c.env']);
  });

  it('reads .env when none is named (none there is fine), the named ones in order (later wins), over the shell', () => {
    expect(readEnvFiles(dir, undefined)).toEqual({});
    writeFileSync(join(dir, '.env'), 'A=dotenv\nB=dotenv\n');
    writeFileSync(join(dir, 'b.env'), 'B=b\nC=b\n');
    expect(readEnvFiles(dir, undefined)).toEqual({ A: 'dotenv', B: 'dotenv' });
    expect(readEnvFiles(dir, ['.env', 'b.env'])).toEqual({ A: 'dotenv', B: 'b', C: 'b' });
    expect(devEnvironment({ A: 'shell', PATH: '/bin' }, dir, undefined, { PORT: '5000' })).toEqual({ A: 'dotenv', B: 'dotenv', PATH: '/bin', PORT: '5000' });
    expect(() => readEnvFiles(dir, ['missing.env'])).toThrow(/Cannot read missing\.env/);
  });

  it("takes the grace period from --grace, else the platform's DOZEN_GRACE_PERIOD, else 30 s", () => {
    expect(graceMsOf(undefined, {})).toBe(30_000);
    expect(graceMsOf(undefined, { DOZEN_GRACE_PERIOD: '10' })).toBe(10_000);
    expect(graceMsOf('2.5', { DOZEN_GRACE_PERIOD: '10' })).toBe(2_500);
    expect(() => graceMsOf('soon', {})).toThrow(/--grace "soon" is not a number of seconds/);
  });
});
