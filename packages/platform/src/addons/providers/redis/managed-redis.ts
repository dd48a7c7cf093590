import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DozenError } from '@dozen/contracts/errors';
import { findProgram } from '../../binaries.js';
import { serverState } from '../../secrets.js';
import type { SecretBox } from '../../../shared-ports/value-sealer.js';
import { ownedDir, serviceAccount } from '../../service-account.js';
import type { ServiceLog } from '../../service-log.js';
import { SupervisedServer } from '../../supervised-server.js';
import type { RedisServer } from './redis-provider.js';
import { redisConnector } from './redis-session.js';

export interface ManagedRedisOptions {
  /** `<data dir>/addons`: holds `redis/` (ACL file, append-only file) and `redis.json` (port, password). */
  addonsDir: string;
  log: ServiceLog;
  /** Seals the admin password in `redis.json` (absent: kept plain, as tests do). */
  box?: SecretBox;
}

interface State {
  port: number;
  password: string;
}

const ADMIN = 'dozen-admin';

/**
 * The platform's own redis-server (Debian's binary): bound to 127.0.0.1 on a port chosen once,
 * durable (append-only file), with the default user disabled so that nothing gets in without
 * an ACL user. As root it runs as the `redis` system user, working in its own directory (set as
 * its cwd before the uid drop, so the user need not traverse the data dir).
 */
export class ManagedRedis implements RedisServer {
  readonly kind = 'managed';
  readonly id = 'managed';
  private server: SupervisedServer | null = null;
  private ready: Promise<string> | null = null;

  constructor(private readonly options: ManagedRedisOptions) {}

  get dir(): string {
    return join(this.options.addonsDir, 'redis');
  }

  get pid(): number | undefined {
    return this.server?.pid;
  }

  adminUrl(): Promise<string> {
    this.ready ??= this.boot().catch((error: unknown) => {
      this.ready = null;
      throw error instanceof DozenError ? error : new DozenError('ADDON_SERVICE_UNAVAILABLE', `The platform's redis-server did not start: ${(error as Error).message}`, { cause: error });
    });
    return this.ready;
  }

  async resume(): Promise<void> {
    if (existsSync(join(this.dir, 'users.acl'))) await this.adminUrl();
  }

  /** Stops the server, or (`stop` false: the platform process restarts, apps keep using it) lets go of it. */
  async close(stop = true): Promise<void> {
    if (stop) await this.server?.stop();
    else this.server?.release();
  }

  private async boot(): Promise<string> {
    const binary = findProgram('redis-server');
    if (!binary) {
      throw new DozenError('ADDON_SERVICE_UNAVAILABLE', 'redis-server is not installed on the platform host.', { hint: 'apt-get install redis-server, or set DOZEN_REDIS_ADMIN_URL to a Redis 7 server.' });
    }
    const account = await serviceAccount('redis');
    await mkdir(this.options.addonsDir, { recursive: true, mode: 0o700 });
    await ownedDir(this.dir, account);
    const state = await this.state();
    const aclFile = join(this.dir, 'users.acl');
    if (!existsSync(aclFile)) {
      // No plaintext: the ACL file keeps the admin password's SHA-256 only.
      const hash = createHash('sha256').update(state.password).digest('hex');
      await writeFile(aclFile, `user default off\nuser ${ADMIN} on #${hash} ~* &* +@all\n`, { mode: 0o600 });
      if (account) await chown(aclFile, account.uid, account.gid);
    }
    const adminUrl = `redis://${ADMIN}:${state.password}@127.0.0.1:${state.port}/0`;
    this.server ??= new SupervisedServer(
      {
        name: 'redis',
        command: binary,
        // Relative paths: redis resolves them in its cwd, the one directory it owns.
        args: ['--port', String(state.port), '--bind', '127.0.0.1', '--dir', '.', '--aclfile', 'users.acl', '--appendonly', 'yes', '--appendfsync', 'everysec', '--save', '', '--daemonize', 'no', '--pidfile', 'redis.pid', '--logfile', ''],
        cwd: this.dir,
        env: { PATH: '/usr/bin:/bin' },
        uid: account?.uid,
        gid: account?.gid,
        probe: () => probe(adminUrl),
        stopSignal: 'SIGTERM',
        pidFile: 'redis.pid',
      },
      this.options.log,
    );
    await this.server.start();
    return adminUrl;
  }

  private state(): Promise<State> {
    return serverState(join(this.options.addonsDir, 'redis.json'), 'redis', this.options.box);
  }
}

async function probe(adminUrl: string): Promise<boolean> {
  const session = await redisConnector(1000)(adminUrl);
  try {
    return (await session.call('PING')) === 'PONG';
  } finally {
    await session.end();
  }
}
