import { describe, expect, it } from 'vitest';
import { readAppJson } from './app-json.js';
import { applyAppJsonEnv } from './app-json-env.js';

describe('app.json', () => {
  it('reads env, formation, buildpacks, postdeploy and health checks (Dokku shape into SlugRuntime)', () => {
    const result = readAppJson({
      name: 'x',
      description: 'known, unused',
      env: { A: 'plain', B: { value: 'b', description: 'd' }, S: { generator: 'secret' }, R: { description: 'must set' }, O: { required: false } },
      formation: { web: { quantity: 2, size: 'basic' }, worker: {} },
      buildpacks: [{ url: 'heroku/nodejs' }, { url: 'https://example.com/bp.git#v1' }],
      scripts: { postdeploy: 'node seed.js', 'pr-predestroy': 'x' },
      healthchecks: { web: [{ type: 'startup', name: 'up', path: '/up', attempts: 3, timeout: 2, wait: 1, initialDelay: 4 }, { path: '/' }, { type: 'liveness', path: '/live' }] },
    });
    expect(result.manifest).toEqual({
      env: {
        A: { value: 'plain', generator: null, required: true },
        B: { value: 'b', generator: null, required: true },
        S: { value: null, generator: 'secret', required: true },
        R: { value: null, generator: null, required: true },
        O: { value: null, generator: null, required: false },
      },
      formation: { web: 2, worker: 1 },
      sizes: { web: 'basic' },
      postdeploy: 'node seed.js',
      cron: [],
    });
    expect(result.buildpacks).toEqual(['heroku/nodejs', 'https://example.com/bp.git#v1']);
    expect(result.healthchecks.web).toEqual([
      { type: 'startup', name: 'up', path: '/up', attempts: 3, timeoutSeconds: 2, waitSeconds: 1, initialDelaySeconds: 4 },
      { type: 'startup', name: '/ check', path: '/', attempts: 5, timeoutSeconds: 5, waitSeconds: 5, initialDelaySeconds: 0 },
    ]);
    expect(result.warnings).toEqual(['app.json: scripts.pr-predestroy is not run by Dozen', 'app.json: healthchecks.web[2] is a liveness check; Dozen runs startup checks only, so it is ignored']);
  });

  it('reads cron (Dokku shape) and names the entry and field of a bad schedule', () => {
    expect(readAppJson({ cron: [{ command: 'node tasks/clean.js', schedule: ' */10 * * * * ' }] }).manifest.cron).toEqual([{ command: 'node tasks/clean.js', schedule: '*/10 * * * *' }]);
    expect(() => readAppJson({ cron: [{ command: 'x', schedule: '@daily' }, { command: 'y', schedule: '61 * * * *' }] })).toThrow('app.json: cron[1].schedule: The schedule "61 * * * *" does not parse: minute field `61` is out of 0-59.');
    expect(() => readAppJson({ cron: [{ schedule: '* * * * *' }] })).toThrow('app.json: cron[0].command must be a non-empty string');
    expect(() => readAppJson({ cron: {} })).toThrow('app.json: cron must be an array');
  });

  it('warns about unknown keys', () => {
    expect(readAppJson({ colour: 'blue' }).warnings).toEqual(['app.json: unknown key "colour" is ignored']);
  });

  it.each([
    [[], '(root) must be an object'],
    [{ env: [] }, 'env must be an object'],
    [{ env: { 'A-B': 'x' } }, 'not a valid config var name'],
    [{ env: { PORT: '1' } }, 'not a valid config var name'],
    [{ env: { A: { value: 1 } } }, 'env.A.value must be a string (got 1)'],
    [{ env: { A: { generator: 'uuid' } } }, 'env.A.generator must be "secret"'],
    [{ formation: { web: { quantity: -1 } } }, 'formation.web.quantity must be a whole number from 0 to 100 (got -1)'],
    [{ formation: { 'we b': {} } }, 'process type "we b"'],
    [{ formation: { web: { size: 'Standard 2X' } } }, 'formation.web.size must be a process size'],
    [{ buildpacks: [{ url: 5 }] }, 'buildpacks[0].url must be'],
    [{ buildpacks: {} }, 'buildpacks must be an array'],
    [{ scripts: { postdeploy: '' } }, 'scripts.postdeploy must be a command'],
    [{ healthchecks: { web: [{ path: 'up' }] } }, 'healthchecks.web[0].path must be a URL path'],
    [{ healthchecks: { web: [{ attempts: 0 }] } }, 'healthchecks.web[0].attempts must be a whole number from 1 to 100'],
    [{ healthchecks: { web: [{ type: 'sometimes' }] } }, 'healthchecks.web[0].type must be'],
  ])('refuses %j naming the JSON path', (value, message) => {
    expect(() => readAppJson(value)).toThrow(message);
  });

  it('applies defaults and secrets to unset vars only, and names the required ones still missing', () => {
    const { manifest } = readAppJson({ env: { A: 'default', S: { generator: 'secret' }, R: { required: true }, O: { required: false } } });
    const first = applyAppJsonEnv({ A: 'mine', R: 'set' }, manifest);
    expect(first.config.A).toBe('mine');
    expect(first.config.S).toMatch(/^[0-9a-f]{64}$/);
    expect(first.applied).toEqual(['S']);
    expect(applyAppJsonEnv(first.config, manifest).config.S).toBe(first.config.S);
    expect(() => applyAppJsonEnv({}, manifest)).toThrow('app.json requires config vars that are not set: R.');
  });

  it('reads environments.review.env and addons for review apps (issue 17); bad entries name their path', () => {
    const read = readAppJson({
      env: { A: 'base' },
      environments: { review: { env: { A: { value: 'review' }, FLAG: 'on' } }, test: { scripts: {} } },
      addons: ['postgres', 'redis:mini', { plan: 'postgres', as: 'ANALYTICS_DB' }],
    });
    expect(read.manifest.reviewEnv).toEqual({ A: { value: 'review', generator: null, required: true }, FLAG: { value: 'on', generator: null, required: true } });
    expect(read.manifest.addons).toEqual([{ provider: 'postgres' }, { provider: 'redis', plan: 'mini' }, { provider: 'postgres', as: 'ANALYTICS_DB' }]);
    expect(read.warnings).toEqual(['app.json: addons are provisioned for review apps only; attach the backing services of other apps with `dozen addons:create`']);
    expect(() => readAppJson({ addons: 'postgres' })).toThrow('app.json: addons must be a list (got "postgres").');
    expect(() => readAppJson({ addons: [{ plan: 'Postgres!' }] })).toThrow('app.json: addons[0].plan must be a provider');
    expect(() => readAppJson({ environments: { review: { env: { PORT: '1' } } } })).toThrow('app.json: environments.review.env has the key "PORT"');
  });
});
