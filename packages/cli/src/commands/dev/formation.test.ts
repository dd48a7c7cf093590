import { describe, expect, it } from 'vitest';
import { basePortOf, parseFormation, planProcesses } from './formation.js';
import { lineWriter, prefixOf } from './prefixed-output.js';
import { isIgnored } from './watch.js';

const TYPES = { web: 'node server.js', release: 'node migrate.js', worker: 'node worker.js', clock: 'node clock.js' };

describe('dozen dev formation and ports', () => {
  it('runs one of each type but release by default', () => {
    expect(parseFormation(undefined, Object.keys(TYPES))).toEqual({ web: 1, worker: 1, clock: 1 });
  });

  it('reads web=2,worker=0 and all=N, and refuses what is not TYPE=COUNT or not in the Procfile', () => {
    expect(parseFormation('web=2, worker=0', Object.keys(TYPES))).toEqual({ web: 2, worker: 0, clock: 1 });
    expect(parseFormation('all=3', Object.keys(TYPES))).toEqual({ web: 3, worker: 3, clock: 3 });
    expect(() => parseFormation('web', Object.keys(TYPES))).toThrow(/"web" is not TYPE=COUNT/);
    expect(() => parseFormation('web=-1', Object.keys(TYPES))).toThrow(/is not TYPE=COUNT/);
    expect(() => parseFormation('cron=1', Object.keys(TYPES))).toThrow(/"cron", which the Procfile does not declare/);
    expect(() => parseFormation('release=1', Object.keys(TYPES))).toThrow(/"release"/);
  });

  it("gives ports by foreman's rule: base + 100 per type (in Procfile order, release not counted), +1 per process", () => {
    const plan = planProcesses(TYPES, { web: 2, worker: 0, clock: 2 }, 5000);
    expect(plan.map((p) => [p.name, p.port, p.command])).toEqual([
      ['web.1', 5000, 'node server.js'],
      ['web.2', 5001, 'node server.js'],
      ['clock.1', 5200, 'node clock.js'],
      ['clock.2', 5201, 'node clock.js'],
    ]);
    expect(() => planProcesses(TYPES, { web: 1, worker: 1, clock: 1 }, 65400)).toThrow(/Port 65600 \(for clock.1\) is above 65535/);
  });

  it('takes the base port from --port, else $PORT, else 5000', () => {
    expect(basePortOf(undefined, {})).toBe(5000);
    expect(basePortOf(undefined, { PORT: '3000' })).toBe(3000);
    expect(basePortOf('4000', { PORT: '3000' })).toBe(4000);
    expect(() => basePortOf('http', {})).toThrow(/--port "http" is not a port/);
    expect(() => basePortOf(undefined, { PORT: '0' })).toThrow(/\$PORT "0"/);
  });
});

describe('dozen dev output', () => {
  it('prefixes whole lines with the padded name, coloured only when asked', () => {
    const out: string[] = [];
    const writer = lineWriter(prefixOf('web.1', 8, 0, false), (text) => out.push(text));
    writer.push('one\ntw');
    writer.push('o\r\nthree');
    expect(out).toEqual(['web.1    | one\n', 'web.1    | two\n']);
    writer.flush();
    expect(out[2]).toBe('web.1    | three\n');
    expect(prefixOf('web.1', 5, 0, true)).toBe('\u001b[36mweb.1 |\u001b[0m ');
    expect(prefixOf('worker.1', 8, 1, true)).not.toBe(prefixOf('web.1', 8, 0, true).replace('web.1   ', 'worker.1'));
  });

  it('--watch ignores dependencies, git, its own build and editor files', () => {
    expect(isIgnored('node_modules/x/index.js')).toBe(true);
    expect(isIgnored('.git/index')).toBe(true);
    expect(isIgnored('.dozen/dev-build/slugs/x')).toBe(true);
    expect(isIgnored('server.js~')).toBe(true);
    expect(isIgnored('lib/server.js')).toBe(false);
  });
});
