import { describe, expect, it } from 'vitest';
import { DozenError } from '@dozen/contracts/errors';
import { CATALOGUE, result } from './catalogue.js';
import { parseRequired, requiredCheckIds, requiredFailures } from './required-checks.js';
import { assembleScorecard, scoreLine } from './scorecard.js';

describe('a release scorecard', () => {
  it('has one result per catalogue check: missing runtime results are unknown, missing static ones too', () => {
    const card = assembleScorecard([result('III.no-secrets-in-source', 'fail', ['config.js:2: an AWS access key id'])], [result('XI.logs-to-stdout', 'warn', ['web.1 writes /tmp/app.log'])]);
    expect(card.map((c) => c.id)).toEqual(CATALOGUE.map((c) => c.id));
    expect(card.find((c) => c.id === 'VII.binds-port')).toMatchObject({ status: 'unknown', evidence: ['no runtime evidence yet'] });
    expect(card.find((c) => c.id === 'II.engines-pinned')).toMatchObject({ status: 'unknown', evidence: ['no static results: the build ran without the scorecard'] });
    expect(card.find((c) => c.id === 'XI.logs-to-stdout')?.status).toBe('warn');
  });

  it('keeps runtime results of checks it does not list', () => {
    const card = assembleScorecard([], [{ id: 'IX.new-check', factor: 'IX', title: 'new', status: 'pass', evidence: [], hint: '' }]);
    expect(card.at(-1)?.id).toBe('IX.new-check');
  });

  it('sums it up in the deploy line, with the first evidence of what does not pass', () => {
    const passing = CATALOGUE.filter((c) => c.id !== 'XI.logs-to-stdout').map((c) => result(c.id, 'pass', []));
    expect(scoreLine([...passing, result('XI.logs-to-stdout', 'warn', ['web.1 writes /tmp/app.log', 'web.2 writes /tmp/app.log'])])).toBe(`Twelve-factor: ${CATALOGUE.length - 1} pass, 1 warn (XI: web.1 writes /tmp/app.log)`);
    expect(scoreLine([result('I.commit-recorded', 'fail', ['x']), result('II.engines-pinned', 'unknown', [])])).toBe('Twelve-factor: 0 pass, 1 fail (I: x), 1 unknown');
  });
});

describe('the scorecard policy', () => {
  it('takes factors and check ids, in any case, deduplicated', () => {
    expect(parseRequired('iii, XI,III,xi.logs-to-stdout')).toEqual(['III', 'XI', 'XI.logs-to-stdout']);
    expect(requiredCheckIds(['XI'])).toEqual(['XI.no-log-files-in-code', 'XI.logs-to-stdout']);
  });

  it('refuses what the catalogue does not know', () => {
    expect(() => parseRequired('XIII')).toThrowError(DozenError);
    expect(() => parseRequired(' , ')).toThrowError(/No factor or check/);
  });

  it('fails only on a failing required check (a warning passes)', () => {
    const results = [result('III.no-secrets-in-source', 'fail', ['a']), result('III.no-committed-env', 'warn', ['b']), result('XI.no-log-files-in-code', 'fail', ['c'])];
    expect(requiredFailures(['III'], results).map((r) => r.id)).toEqual(['III.no-secrets-in-source']);
    expect(requiredFailures(['XI.logs-to-stdout'], results)).toEqual([]);
    expect(requiredFailures([], results)).toEqual([]);
  });
});
