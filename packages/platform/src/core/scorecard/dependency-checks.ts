import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { procfileCommands, scriptCommands, simpleCommands } from './commands.js';
import { capped, hasFile, packageJson, textOf, type PackageJson, type SourceSnapshot } from './source-snapshot.js';

/** Factor II: dependencies declared, locked and isolated. */
export function dependencyChecks(snapshot: SourceSnapshot): CheckResult[] {
  const manifest = packageJson(snapshot);
  if (manifest === null) {
    const none = ['no package.json: not a Node.js app'];
    return [result('II.lockfile-in-sync', 'pass', none), result('II.engines-pinned', 'pass', none), vendored(snapshot), programs(snapshot, {})];
  }
  return [lockfile(snapshot, manifest), engines(manifest), vendored(snapshot), programs(snapshot, manifest)];
}

function declared(manifest: PackageJson): Record<string, string> {
  return { ...manifest.optionalDependencies, ...manifest.devDependencies, ...manifest.dependencies };
}

function lockfile(snapshot: SourceSnapshot, manifest: PackageJson): CheckResult {
  const names = Object.keys(declared(manifest));
  const npm = textOf(snapshot, 'package-lock.json');
  if (npm !== null) {
    const missing = npmLockMismatch(npm, manifest);
    return missing.length === 0 ? result('II.lockfile-in-sync', 'pass', ['package-lock.json']) : result('II.lockfile-in-sync', 'fail', capped(missing.map((m) => `package-lock.json: ${m}`)));
  }
  for (const name of ['yarn.lock', 'pnpm-lock.yaml']) {
    const text = textOf(snapshot, name);
    if (text === null) continue;
    const missing = names.filter((dep) => !text.includes(`${dep}@`) && !text.includes(`/${dep}`) && !text.includes(`${dep}:`));
    return missing.length === 0 ? result('II.lockfile-in-sync', 'pass', [name]) : result('II.lockfile-in-sync', 'fail', capped(missing.map((dep) => `${name}: ${dep} is in package.json but not locked`)));
  }
  if (hasFile(snapshot, 'npm-shrinkwrap.json')) return result('II.lockfile-in-sync', 'pass', ['npm-shrinkwrap.json']);
  return result('II.lockfile-in-sync', 'warn', ['no lockfile (package-lock.json, yarn.lock, pnpm-lock.yaml): every build resolves versions anew']);
}

/** What package.json asks and package-lock.json's root entry does not record (lockfile v2+), or v1's missing names. */
function npmLockMismatch(text: string, manifest: PackageJson): string[] {
  let lock: { packages?: Record<string, PackageJson>; dependencies?: Record<string, unknown> };
  try {
    lock = JSON.parse(text) as typeof lock;
  } catch {
    return ['not valid JSON'];
  }
  const wanted = declared(manifest);
  const root = lock.packages?.[''];
  if (root === undefined) {
    const locked = lock.dependencies ?? {};
    return Object.keys(wanted).filter((name) => !(name in locked)).map((name) => `${name} is in package.json but not locked`);
  }
  const locked = declared(root);
  const problems = Object.entries(wanted).filter(([name, range]) => locked[name] !== range).map(([name, range]) => (locked[name] === undefined ? `${name}@${range} is in package.json but not locked` : `${name} is ${range} in package.json but ${locked[name]} in the lockfile`));
  for (const name of Object.keys(locked)) if (!(name in wanted)) problems.push(`${name} is locked but no longer in package.json`);
  return problems;
}

function engines(manifest: PackageJson): CheckResult {
  const node = manifest.engines?.node;
  if (typeof node !== 'string' || node.trim() === '') return result('II.engines-pinned', 'warn', ['package.json has no engines.node: the build picks the default Node.js']);
  if (/^\s*(\*|x|latest|>=?\s*0(\.0)*)\s*$/i.test(node)) return result('II.engines-pinned', 'warn', [`engines.node is "${node}": any version`]);
  return result('II.engines-pinned', 'pass', [`engines.node "${node}"`]);
}

function vendored(snapshot: SourceSnapshot): CheckResult {
  if (snapshot.vendored.length === 0) return result('II.no-committed-modules', 'pass', []);
  return result('II.no-committed-modules', 'fail', capped(snapshot.vendored.map((dir) => `${dir}/ is in the source`)));
}

/** Programs every build and process finds on the stack (besides what dependencies install). */
const STACK_PROGRAMS = new Set(['node', 'npm', 'npx', 'yarn', 'pnpm', 'corepack', 'sh', 'bash', 'echo', 'cd', 'true', 'false', 'exit', 'test', '[', 'cp', 'mv', 'rm', 'mkdir', 'cat', 'ls', 'env', 'printf', 'sleep', 'touch', 'ln', 'chmod', 'grep', 'sed', 'awk', 'tar', 'gzip', 'gunzip', 'find', 'xargs', 'head', 'tail', 'sort', 'wc', 'tr', 'cut', 'date', 'kill', 'wait', 'nohup', 'exec', 'timeout', 'set', 'export', 'source', '.', 'if', 'then', 'else', 'fi']);

/** Programs whose package has another name. */
const BIN_PACKAGES: Record<string, string> = {
  tsc: 'typescript', tsserver: 'typescript', 'pm2-runtime': 'pm2', 'run-s': 'npm-run-all', 'run-p': 'npm-run-all', sequelize: 'sequelize-cli',
  babel: '@babel/cli', ng: '@angular/cli', nest: '@nestjs/cli', 'svelte-kit': '@sveltejs/kit', remix: '@remix-run/dev', grunt: 'grunt-cli', coffee: 'coffeescript', swc: '@swc/cli', dotenv: 'dotenv-cli', 'ts-node-dev': 'ts-node-dev', tsnd: 'ts-node-dev', vue: '@vue/cli', 'vue-cli-service': '@vue/cli-service', prisma: 'prisma', knex: 'knex',
};

function programs(snapshot: SourceSnapshot, manifest: PackageJson): CheckResult {
  const deps = new Set(Object.keys(declared(manifest)).flatMap((name) => [name, name.slice(name.lastIndexOf('/') + 1)]));
  const unknown: string[] = [];
  for (const { where, command } of [...procfileCommands(snapshot), ...scriptCommands(snapshot)]) {
    for (const [program] of simpleCommands(command)) {
      if (program === undefined || program.includes('/') || program.includes('$') || STACK_PROGRAMS.has(program) || deps.has(program)) continue;
      if (deps.has(BIN_PACKAGES[program] ?? '')) continue;
      unknown.push(`${where}: \`${program}\` is neither a dependency nor on the stack`);
    }
  }
  return unknown.length === 0 ? result('II.script-programs-provided', 'pass', []) : result('II.script-programs-provided', 'fail', capped(unknown));
}
