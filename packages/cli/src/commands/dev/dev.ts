import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../../command-kit.js';
import type { CliContext } from '../../context.js';
import { printError } from '../../output.js';
import { buildForDev } from './dev-build.js';
import { collectEnvFiles, devEnvironment, graceMsOf, readEnvFiles } from './dev-env.js';
import { basePortOf, parseFormation, planProcesses, type DevProcess } from './formation.js';
import { nameWidth, prefixOf } from './prefixed-output.js';
import { ProcessSet } from './process-set.js';
import { watchTree } from './watch.js';

interface DevOptions {
  procfile: string;
  env?: string[];
  port?: string;
  formation?: string;
  grace?: string;
  watch?: boolean;
  build?: boolean;
}

export const registerDev: Registrar = (program, context) => {
  program
    .command('dev')
    .description('run the Procfile of this directory here, like the platform (Heroku local): .env, PORT from 5000')
    .argument('[types]', 'only these process types, comma-separated (default: all but release)')
    .option('-f, --procfile <file>', 'the Procfile', 'Procfile')
    .option('-e, --env <files>', 'env files, repeatable or comma-separated (default .env)', collectEnvFiles)
    .option('-p, --port <port>', 'base port (default $PORT, else 5000); each further type +100')
    .option('--formation <counts>', 'processes per type, e.g. web=2,worker=1 (default one each)')
    .option('--grace <seconds>', 'after SIGTERM, SIGKILL after this many seconds (default DOZEN_GRACE_PERIOD, else 30)')
    .option('-w, --watch', 'restart the processes when a file changes')
    .option('--build', "first build with the platform's buildpacks into .dozen/dev-build and run the built slug")
    .action(async (types: string | undefined, options: DevOptions) => {
      process.exitCode = await runDev(context, types, options);
    });
};

async function runDev(context: CliContext, only: string | undefined, options: DevOptions): Promise<number> {
  const cwd = process.cwd();
  const graceMs = graceMsOf(options.grace, context.environment);
  const basePort = basePortOf(options.port, context.environment);
  // Read (and with --build, built) again at each --watch restart.
  const load = async (): Promise<Started> => {
    const { cwd: runDir, env, processTypes: all } = options.build ? await builtSlug(cwd, options.env) : await workingDir(context, cwd, options);
    const processTypes = selectTypes(all, only);
    const plan = planProcesses(processTypes, parseFormation(options.formation, Object.keys(processTypes)), basePort);
    if (plan.length === 0) throw new DozenError('CLI_USAGE', 'No processes to run: the formation runs none.', { hint: 'Scale a type up, e.g. --formation web=1.' });
    return { plan, cwd: runDir, env };
  };
  return supervise(context, await load(), load, { graceMs, watch: options.watch === true ? cwd : null });
}

interface Started {
  plan: DevProcess[];
  cwd: string;
  env: Record<string, string>;
}

interface RunSource {
  cwd: string;
  env: Record<string, string>;
  processTypes: Record<string, string>;
}

/** The Procfile of the working directory, run there with this shell's environment and the .env files. */
async function workingDir(context: CliContext, cwd: string, options: DevOptions): Promise<RunSource> {
  const env = devEnvironment(context.environment, cwd, options.env);
  const { parseProcfile } = await import('@dozen/platform/dev');
  return { cwd, env, processTypes: parseProcfile(readProcfile(resolve(cwd, options.procfile))) };
}

/** The slug built from the working directory, run with the platform's process environment and the .env files (not this shell's). */
async function builtSlug(cwd: string, envFiles: string[] | undefined): Promise<RunSource> {
  const vars = readEnvFiles(cwd, envFiles);
  const built = await buildForDev(cwd, vars, (line) => process.stdout.write(`${line}\n`));
  return { cwd: built.dir, env: { ...built.env, ...vars }, processTypes: built.processTypes };
}

function readProcfile(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new DozenError('PROCFILE_INVALID', `Cannot read ${path}: ${(error as Error).message}.`, { hint: 'Run `dozen dev` in the app directory, or name the Procfile with -f FILE.' });
  }
}

function selectTypes(all: Record<string, string>, only: string | undefined): Record<string, string> {
  if (only === undefined) return all;
  const wanted = only.split(',').map((t) => t.trim()).filter((t) => t !== '');
  const unknown = wanted.filter((t) => !Object.hasOwn(all, t));
  if (unknown.length > 0) throw new DozenError('CLI_USAGE', `The Procfile has no process type ${unknown.join(', ')}.`, { hint: `Its types: ${Object.keys(all).join(', ')}.` });
  return Object.fromEntries(Object.entries(all).filter(([type]) => wanted.includes(type)));
}

interface SuperviseOptions {
  graceMs: number;
  watch: string | null;
}

/**
 * Runs the processes until one exits (its code), or until SIGINT/SIGTERM to the CLI (0 once all
 * have stopped). With `watch`, a change under that directory stops them all, loads again and
 * starts them again (a load that fails is printed, and the next change tries again), and a
 * process that exits stops the others until the next change.
 */
function supervise(context: CliContext, first: Started, load: () => Promise<Started>, options: SuperviseOptions): Promise<number> {
  return new Promise((done) => {
    const write = (text: string) => process.stdout.write(text);
    const note = (line: string) => write(`${prefixOf('dozen', nameWidth(first.plan.map((p) => p.name)), 0, false)}${line}\n`);
    let restarting = false;
    let finished = false;
    let signalled = false;
    const startSet = (started: Started): ProcessSet => {
      const set = new ProcessSet(started.plan, { cwd: started.cwd, env: started.env, graceMs: options.graceMs, colour: context.color, write }, (exited) => {
        // With --watch, a crash (often of the edit just saved) waits for the next change instead of ending dev.
        if (watcher !== null) return void exited.stop().then(() => note('all processes stopped: waiting for a file change to start them again'));
        void exited.stop().then(() => finish(exited.firstExit?.code ?? 1));
      });
      set.start();
      return set;
    };
    const restart = async (path: string) => {
      note(`${path} changed: restarting`);
      await current?.stop();
      current = null;
      try {
        const started = await load();
        if (!finished && !signalled) current = startSet(started);
      } catch (error) {
        printError(error, false);
        note('not restarted: fix the error above, the next change tries again');
      }
    };
    const watcher = options.watch === null ? null : watchTree(options.watch, 300, (path) => {
      if (finished || signalled || restarting) return;
      restarting = true;
      void restart(path).finally(() => (restarting = false));
    });
    let current: ProcessSet | null = startSet(first);
    const finish = (code: number) => {
      if (finished) return;
      finished = true;
      watcher?.close();
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      done(code);
    };
    const onSignal = (signal: NodeJS.Signals) => {
      note(signalled ? `${signal} again: SIGKILL to all processes` : `${signal} received: stopping all processes (SIGKILL after ${options.graceMs / 1000} s; ${signal} again to kill them now)`);
      // A second one does not wait for the grace period (foreman's second Ctrl-C).
      if (signalled) return current?.kill();
      signalled = true;
      void (current?.stop() ?? Promise.resolve()).then(() => finish(0));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
}
