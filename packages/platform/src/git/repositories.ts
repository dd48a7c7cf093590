import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { mkdtemp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DozenError } from '@dozen/contracts/errors';
import type { App } from '../core/model.js';
import type { GitRequest, GitResponse, GitService, Push, PushVerdict } from '../core/ports/git.js';
import type { OutputWriter } from '../core/ports/build.js';
import { archiveCommit, quarantineEnv } from './archive.js';
import { runGit, type GitSetup } from './git-command.js';
import { runHttpBackend } from './http-backend.js';
import { PushHooks, type HookMessage } from './push-hooks.js';

export interface GitRepositoriesOptions {
  /** `<data dir>/git`: repos/<app id>.git, hooks/, home/. */
  dir: string;
  socketPath: string;
  /** Directory of the Node.js that runs the hook. */
  nodeBinDir: string;
  maxPushBytes: number;
  /** The platform's answer to a push (the core's receivePush). */
  receive(push: Push): Promise<PushVerdict>;
}

/** Slack above the pack limit for the commands and framing of a push request. */
const REQUEST_SLACK_BYTES = 1024 * 1024;

/**
 * One bare repository per app (`repos/<app id>.git`, made on first use), served over smart HTTP
 * by `git http-backend`. Pushes go through Dozen's pre-receive hook (see PushHooks).
 */
export class GitRepositories implements GitService {
  private readonly setup: GitSetup;
  private readonly reposDir: string;
  private readonly hooks: PushHooks;

  constructor(private readonly options: GitRepositoriesOptions) {
    this.reposDir = join(options.dir, 'repos');
    const hooksDir = join(options.dir, 'hooks');
    const homeDir = join(options.dir, 'home');
    for (const dir of [this.reposDir, hooksDir, homeDir]) mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeHook(hooksDir);
    this.setup = { hooksDir, homeDir, nodeBinDir: options.nodeBinDir, maxPushBytes: options.maxPushBytes };
    this.hooks = new PushHooks({
      socketPath: options.socketPath,
      preparePush: (session, message, output) => this.preparePush(session, message, output),
      receive: (push) => options.receive(push),
    });
  }

  async serve(app: App, request: GitRequest): Promise<GitResponse> {
    const repository = await this.ensureRepository(app);
    let ended!: () => void;
    const exited = new Promise<void>((resolve) => (ended = resolve));
    const env = request.action === 'git-receive-pack' ? await this.hooks.open(app, join(this.reposDir, repository), exited, request.user) : {};
    const run = runHttpBackend(this.setup, { projectRoot: this.reposDir, repository, request, maxRequestBytes: this.options.maxPushBytes + REQUEST_SLACK_BYTES, env });
    void run.exited.then(ended);
    return run.response;
  }

  async removeRepository(app: App): Promise<void> {
    await rm(join(this.reposDir, `${app.id}.git`), { recursive: true, force: true });
  }

  close(): Promise<void> {
    return this.hooks.close();
  }

  /** Made on first use, atomically: `git init` into a temp dir, then renamed into place. */
  private async ensureRepository(app: App): Promise<string> {
    const name = `${app.id}.git`;
    const path = join(this.reposDir, name);
    if (existsSync(join(path, 'HEAD'))) return name;
    const temp = await mkdtemp(join(this.reposDir, '.new-'));
    const init = await runGit(this.setup, ['init', '--quiet', '--bare', '--initial-branch=main', '--template=', '--', temp]);
    if (init.code !== 0) throw new DozenError('GIT_COMMAND_FAILED', `git init failed for ${app.name}: ${init.stderr.trim()}`);
    try {
      await rename(temp, path);
    } catch (error) {
      // Another request made it first.
      await rm(temp, { recursive: true, force: true });
      if (!existsSync(join(path, 'HEAD'))) throw error;
    }
    return name;
  }

  private async preparePush(session: { app: App; repository: string; pusher: string }, message: HookMessage, output: OutputWriter): Promise<Push> {
    const env = quarantineEnv(session.repository, message.quarantine);
    const listing = await runGit(this.setup, ['for-each-ref', '--format=%(objectname) %(refname)'], { GIT_DIR: session.repository });
    if (listing.code !== 0) throw new DozenError('GIT_COMMAND_FAILED', `git could not read the refs of ${session.app.name}: ${listing.stderr.trim()}`);
    const refs: Record<string, string> = {};
    for (const line of listing.stdout.toString('utf8').split('\n')) {
      const space = line.indexOf(' ');
      if (space > 0) refs[line.slice(space + 1)] = line.slice(0, space);
    }
    return { app: session.app, pusher: session.pusher, updates: message.updates, refs, archive: (commit) => archiveCommit(this.setup, env, commit), output };
  }
}

/** The hook git runs is a two-line launcher of the compiled hook program, with the platform's Node.js. */
function writeHook(hooksDir: string): void {
  const launcher = `#!/usr/bin/env node\nimport(${JSON.stringify(pathToFileURL(hookProgram()).href)});\n`;
  writeFileSync(join(hooksDir, 'pre-receive'), launcher, { mode: 0o700 });
}

/** The compiled hook (dist/git/hook/pre-receive.js), also when the platform runs from its sources in tests. */
function hookProgram(): string {
  const beside = fileURLToPath(new URL('./hook/pre-receive.js', import.meta.url));
  if (existsSync(beside)) return beside;
  return beside.replace(/([/\\])src([/\\]git[/\\]hook[/\\]pre-receive\.js)$/, '$1dist$2');
}
