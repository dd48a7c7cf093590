import { DozenError } from '@dozen/contracts/errors';
import type { AddonResource } from '../../../core/model.js';
import type { AddonProvider, ProvisionedAddon, ProvisionRequest } from '../../../core/ports/addons.js';
import { newPassword, resourceName } from '../../secrets.js';
import { serverFor, type AddonServer } from '../../server-choice.js';
import { addonAclRules } from './redis-acl.js';
import { redisAddress, redisConnector, type RedisConnect, type RedisSession } from './redis-session.js';

/** The platform's redis-server or one given by DOZEN_REDIS_ADMIN_URL. */
export interface RedisServer extends AddonServer {
  adminUrl(): Promise<string>;
  readonly kind: string;
}

/**
 * Each add-on is an ACL user of its own, restricted to keys and channels under its prefix, which
 * is the user name and a colon (`dz_…:`); REDIS_URL carries that user. Clients prefix their keys
 * themselves (ioredis: `keyPrefix`), the server refuses anything else.
 */
export class RedisProvider implements AddonProvider {
  readonly name = 'redis';
  readonly plans = ['dev'];
  readonly defaultConfigVar = 'REDIS_URL';

  /** `others`: servers that still hold add-ons made before (the platform's own after an admin URL was set). */
  constructor(
    private readonly server: RedisServer,
    private readonly connect: RedisConnect = redisConnector(),
    private readonly others: readonly RedisServer[] = [],
  ) {}

  /** Reachable, Redis 7, and allowed to manage ACL users (checked at platform start). */
  async verify(): Promise<void> {
    const adminUrl = await this.server.adminUrl();
    await this.withSession(adminUrl, (session) => assertAclAdmin(session, redisAddress(adminUrl)));
  }

  async provision(request: ProvisionRequest): Promise<ProvisionedAddon> {
    const user = resourceName(request.addonId);
    const password = newPassword();
    const adminUrl = await this.server.adminUrl();
    await this.withSession(adminUrl, async (session) => {
      await assertAclAdmin(session, redisAddress(adminUrl));
      await session.call('ACL', 'SETUSER', user, ...addonAclRules(`${user}:`, password));
      try {
        await saveAcl(session);
      } catch (error) {
        // The user must not outlive a failed provision (a full disk at ACL SAVE, say).
        await session.call('ACL', 'DELUSER', user).catch(() => undefined);
        throw new DozenError('ADDON_PROVISION_FAILED', `Provisioning failed at "ACL SAVE": ${(error as Error).message}. Nothing was left behind.`, { cause: error });
      }
    });
    return { url: userUrl(adminUrl, user, password), resource: { user, prefix: `${user}:`, server: this.server.id } };
  }

  async deprovision(resource: AddonResource): Promise<void> {
    const { user, prefix } = handle(resource);
    const adminUrl = await this.serverOf(resource).adminUrl();
    await this.withSession(adminUrl, async (session) => {
      // Out first (no new logins, open connections closed), then its keys in every database.
      if ((await session.call('ACL', 'GETUSER', user)) !== null) {
        await session.call('ACL', 'SETUSER', user, 'off');
        await session.call('CLIENT', 'KILL', 'USER', user);
        await session.call('ACL', 'DELUSER', user);
      }
      for (const db of await databasesWithKeys(session)) await deleteKeys(session, db, prefix);
      await saveAcl(session);
    });
  }

  async info(resource: AddonResource): Promise<Record<string, string>> {
    const { prefix } = handle(resource);
    const home = this.serverOf(resource);
    const adminUrl = await home.adminUrl();
    return this.withSession(adminUrl, async (session) => {
      const server = parseInfo(String(await session.call('INFO', 'server')));
      let keys = 0;
      for (const db of await databasesWithKeys(session)) keys += (await scanKeys(session, db, prefix)).length;
      return { server: `${home.kind} Redis ${server.redis_version ?? 'unknown'} at ${redisAddress(adminUrl)}`, 'key prefix': prefix, keys: String(keys) };
    });
  }

  async rotateCredentials(resource: AddonResource): Promise<ProvisionedAddon> {
    const { user } = handle(resource);
    const adminUrl = await this.serverOf(resource).adminUrl();
    const password = newPassword();
    await this.withSession(adminUrl, async (session) => {
      await session.call('ACL', 'SETUSER', user, 'resetpass', `>${password}`);
      await saveAcl(session);
    });
    return { url: userUrl(adminUrl, user, password), resource };
  }

  private serverOf(resource: AddonResource): RedisServer {
    return serverFor(resource, this.server, this.others, 'redis', 'DOZEN_REDIS_ADMIN_URL');
  }

  private async withSession<T>(adminUrl: string, fn: (session: RedisSession) => Promise<T>): Promise<T> {
    const session = await this.connect(adminUrl);
    try {
      return await fn(session);
    } catch (error) {
      if (error instanceof DozenError) throw error;
      const message = (error as Error).message;
      if (/^NOPERM/.test(message)) throw new DozenError('ADDON_ADMIN_PRIVILEGES_MISSING', `The admin user of Redis at ${redisAddress(adminUrl)} may not administer ACLs: ${message}.`);
      throw new DozenError('ADDON_SERVICE_UNAVAILABLE', `Redis at ${redisAddress(adminUrl)} failed: ${message}.`, { cause: error });
    } finally {
      await session.end();
    }
  }
}

/** Redis 7 at least (ACL key and channel patterns, subcommand rules), and an admin who may change ACLs. */
async function assertAclAdmin(session: RedisSession, where: string): Promise<void> {
  const version = parseInfo(String(await session.call('INFO', 'server'))).redis_version ?? '0';
  if (Number(version.split('.')[0]) < 7) {
    throw new DozenError('ADDON_SERVICE_UNAVAILABLE', `Redis at ${where} is version ${version}; add-ons need Redis 7 or newer for per-add-on ACL users.`);
  }
  const me = String(await session.call('ACL', 'WHOAMI'));
  const verdict = String(await session.call('ACL', 'DRYRUN', me, 'ACL', 'SETUSER', 'dz_probe'));
  if (verdict !== 'OK') throw new DozenError('ADDON_ADMIN_PRIVILEGES_MISSING', `The admin user ${me} of Redis at ${where} may not create ACL users: ${verdict}.`);
}

/** Persists users when the server has an ACL file; a server without one keeps them in memory (documented). */
async function saveAcl(session: RedisSession): Promise<void> {
  try {
    await session.call('ACL', 'SAVE');
  } catch (error) {
    if (!/not configured to use an ACL file/i.test((error as Error).message)) throw error;
  }
}

async function databasesWithKeys(session: RedisSession): Promise<string[]> {
  const keyspace = String(await session.call('INFO', 'keyspace'));
  return [...keyspace.matchAll(/^db(\d+):/gm)].map((m) => m[1] as string);
}

async function scanKeys(session: RedisSession, db: string, prefix: string): Promise<string[]> {
  await session.call('SELECT', db);
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = (await session.call('SCAN', cursor, 'MATCH', `${escapeGlob(prefix)}*`, 'COUNT', '1000')) as [string, string[]];
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  return keys;
}

async function deleteKeys(session: RedisSession, db: string, prefix: string): Promise<void> {
  const keys = await scanKeys(session, db, prefix);
  for (let i = 0; i < keys.length; i += 500) await session.call('UNLINK', ...keys.slice(i, i + 500));
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

function parseInfo(text: string): Record<string, string> {
  return Object.fromEntries(text.split(/\r?\n/).filter((line) => line.includes(':')).map((line) => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1)]));
}

function handle(resource: AddonResource): { user: string; prefix: string } {
  const { user, prefix } = resource;
  if (!user || !prefix) throw new DozenError('INTERNAL', `A redis add-on record lacks its user or prefix: ${JSON.stringify(Object.keys(resource))}.`);
  return { user, prefix };
}

/** The add-on's URL: the admin URL's scheme and server, the add-on's user, database 0. */
function userUrl(adminUrl: string, user: string, password: string): string {
  const url = new URL(adminUrl);
  url.username = user;
  url.password = password;
  url.pathname = '/0';
  url.search = '';
  return url.toString();
}
