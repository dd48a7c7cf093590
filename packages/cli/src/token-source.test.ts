import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tokenForApiUrl } from './token-source.js';

describe('token for an API URL (what the git credential helper hands out)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dozen-token-'));
  writeFileSync(join(dataDir, 'admin-token'), 'dzn_admin\n');
  const env = { DOZEN_DATA_DIR: dataDir, XDG_CONFIG_HOME: join(dataDir, 'config') };

  it('gives DOZEN_API_TOKEN only to DOZEN_API_URL, never to another platform', () => {
    const withToken = { ...env, DOZEN_API_URL: 'https://a.example', DOZEN_API_TOKEN: 'dzn_a' };
    expect(tokenForApiUrl(withToken, 'https://a.example/')).toBe('dzn_a');
    expect(tokenForApiUrl(withToken, 'https://b.example')).toBeUndefined();
  });

  it('uses the admin token file only for a platform on loopback', () => {
    expect(tokenForApiUrl(env, 'http://127.0.0.1:7000')).toBe('dzn_admin');
    expect(tokenForApiUrl(env, 'http://dozen.example:7000')).toBeUndefined();
  });
});
