import { existsSync } from 'node:fs';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { AddonClientTool, AddonProvider, AddonProviders } from '../core/ports/addons.js';
import { adminClient } from './admin-clients.js';
import { EmbeddedPostgres } from './providers/postgres/embedded-postgres.js';
import { ExternalPostgres } from './providers/postgres/external-postgres.js';
import { PostgresProvider } from './providers/postgres/postgres-provider.js';
import { ExternalRedis } from './providers/redis/external-redis.js';
import { ManagedRedis } from './providers/redis/managed-redis.js';
import { RedisProvider } from './providers/redis/redis-provider.js';
import { dumpRedisKeys, loadRedisKeys } from './providers/redis/redis-keys.js';
import { clusterBaseBackup } from './providers/postgres/base-backup.js';
import { UrlProvider } from './providers/url/url-provider.js';
import type { ServiceLog } from './service-log.js';
import type { SecretBox } from '../shared-ports/value-sealer.js';
import { ownedTree, serviceAccount } from './service-account.js';

export interface AddonRegistryOptions {
  /** The data dir (the servers' users must be able to pass through it) and its add-ons part. */
  dataDir: string;
  addonsDir: string;
  /** DOZEN_POSTGRES_ADMIN_URL; null: the embedded server. */
  postgresAdminUrl: string | null;
  /** DOZEN_REDIS_ADMIN_URL; null: the platform's redis-server. */
  redisAdminUrl: string | null;
  log: ServiceLog;
  /** Seals the admin passwords of the platform's own servers in their state files. */
  box?: SecretBox;
}

/** Where a restore leaves the Redis keys to load at the next start (in the add-ons dir). */
const RESTORED_KEYS = 'redis-restore';

/**
 * The providers of this platform, by name, and the servers behind them: the platform's own
 * (started on first use, and at start when used before) or external ones (checked at start).
 */
export class AddonRegistry implements AddonProviders {
  private readonly providers: Map<string, AddonProvider>;
  private readonly embedded: EmbeddedPostgres;
  private readonly managedRedis: ManagedRedis;
  private readonly postgres: PostgresProvider;
  private readonly redis: RedisProvider;

  constructor(private readonly options: AddonRegistryOptions) {
    const addonsDir = options.addonsDir;
    const log = (server: string): ServiceLog => (level, message) => options.log(level, `${server}: ${message}`);
    // The platform's own servers start only when used (or used before): with an admin URL set, new
    // add-ons go there, and those made on the platform's own server before keep it (and work).
    this.embedded = new EmbeddedPostgres({ addonsDir, dataDir: options.dataDir, log: log('postgres'), ...(options.box ? { box: options.box } : {}) });
    this.managedRedis = new ManagedRedis({ addonsDir, log: log('redis'), ...(options.box ? { box: options.box } : {}) });
    this.postgres = options.postgresAdminUrl ? new PostgresProvider(new ExternalPostgres(options.postgresAdminUrl), undefined, [this.embedded]) : new PostgresProvider(this.embedded);
    this.redis = options.redisAdminUrl ? new RedisProvider(new ExternalRedis(options.redisAdminUrl), undefined, [this.managedRedis]) : new RedisProvider(this.managedRedis);
    this.providers = new Map<string, AddonProvider>([this.postgres, this.redis, new UrlProvider()].map((p) => [p.name, p]));
  }

  get(name: string): AddonProvider | undefined {
    return this.providers.get(name);
  }

  names(): string[] {
    return [...this.providers.keys()];
  }

  client(tool: AddonClientTool, url: string, args: string[]): { command: string[]; env: Record<string, string> } {
    return adminClient(tool, url, args);
  }

  /**
   * At platform start: the platform's own servers come back if they were used; external ones are
   * checked, and a problem is logged (it is reported again, as an error, at the next provision).
   */
  async resume(): Promise<void> {
    const { postgresAdminUrl, redisAdminUrl } = this.options;
    const checks: [string, () => Promise<unknown>][] = [
      ['postgres', () => this.embedded.resume()],
      ['redis', () => this.managedRedis.resume()],
    ];
    if (postgresAdminUrl) checks.push(['postgres', () => this.postgres.verify()]);
    if (redisAdminUrl) checks.push(['redis', () => this.redis.verify()]);
    await Promise.all(checks.map(([name, check]) => check().catch((error: unknown) => this.options.log('error', `${name}: ${(error as Error).message}`))));
    await this.loadRestoredKeys();
  }

  /**
   * Into `dest` (laid out as the data dir): the data of the platform's own servers, those that were
   * used. PostgreSQL: an online base backup of the cluster with its state file (port, sealed
   * password). Redis: its state and ACL files, and every add-on's keys, loaded back at the first
   * start after a restore (`loadRestoredKeys`). External servers are the operator's to back up.
   */
  async backupData(dest: string): Promise<void> {
    const addons = join(dest, 'addons');
    if (existsSync(join(this.embedded.clusterDir, 'PG_VERSION'))) {
      await clusterBaseBackup(await this.embedded.adminUrl(), this.embedded.clusterDir, join(addons, 'postgres', 'data'));
      await copyFile(join(this.options.addonsDir, 'postgres.json'), join(addons, 'postgres.json'));
    }
    if (existsSync(join(this.managedRedis.dir, 'users.acl'))) {
      await dumpRedisKeys(await this.managedRedis.adminUrl(), join(addons, RESTORED_KEYS));
      await mkdir(join(addons, 'redis'), { recursive: true, mode: 0o700 });
      await copyFile(join(this.managedRedis.dir, 'users.acl'), join(addons, 'redis', 'users.acl'));
      await copyFile(join(this.options.addonsDir, 'redis.json'), join(addons, 'redis.json'));
    }
  }

  /** After a restore put the servers' files of `addonsDir` in place: they belong to the servers' users. */
  static async ownRestoredFiles(addonsDir: string): Promise<void> {
    const pgDir = join(addonsDir, 'postgres');
    if (existsSync(pgDir)) await ownedTree(pgDir, await serviceAccount('postgres'));
    const redisDir = join(addonsDir, 'redis');
    if (existsSync(redisDir)) await ownedTree(redisDir, await serviceAccount('redis'));
  }

  /** After a restore: the add-ons' Redis keys from the archive, loaded before any app starts. */
  private async loadRestoredKeys(): Promise<void> {
    const dir = join(this.options.addonsDir, RESTORED_KEYS);
    if (!existsSync(dir)) return;
    const count = await loadRedisKeys(await this.managedRedis.adminUrl(), dir);
    this.options.log('info', `redis: loaded ${count} keys of the restored backup`);
  }

  /** Stops the platform's own servers, or (`stopServers` false) leaves them running for the next platform process to adopt. */
  async close(options: { stopServers?: boolean } = {}): Promise<void> {
    const stop = options.stopServers !== false;
    await Promise.all([this.embedded.close(stop), this.managedRedis.close(stop)]);
  }
}
