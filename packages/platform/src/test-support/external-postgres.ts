import { execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../net/free-port.js';
import { newPassword } from '../addons/secrets.js';

/** A Debian PostgreSQL cluster in a temp dir on a random port: the "external" server of the tests. */
export interface ExternalPostgres {
  adminUrl: string;
  port: number;
  dir: string;
  stop(): Promise<void>;
}

/** Debian's server binaries (postgresql-15 on bookworm); the newest installed major version. */
export function debianPostgresBin(): string {
  const versions = readdirSync('/usr/lib/postgresql').filter((v) => /^\d+$/.test(v)).sort((a, b) => Number(b) - Number(a));
  if (versions.length === 0) throw new Error('no PostgreSQL server under /usr/lib/postgresql: apt-get install postgresql');
  return join('/usr/lib/postgresql', versions[0] as string, 'bin');
}

/**
 * initdb + pg_ctl start as the postgres user (root) or as ourselves, never touching a system cluster.
 * `throwaway`: nothing is flushed to disk (fsync off) and the stop does not checkpoint, for a server
 * that many short-lived databases come and go on and that is removed after.
 */
export async function startExternalPostgres(options: { throwaway?: boolean } = {}): Promise<ExternalPostgres> {
  const bin = debianPostgresBin();
  const owner = process.getuid?.() === 0 ? { uid: Number(execFileSync('id', ['-u', 'postgres']).toString()), gid: Number(execFileSync('id', ['-g', 'postgres']).toString()) } : null;
  const dir = mkdtempSync(join(tmpdir(), 'dozen-external-pg-'));
  if (owner) chownSync(dir, owner.uid, owner.gid);
  const password = newPassword();
  const passwordFile = join(dir, 'pw');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (owner) chownSync(passwordFile, owner.uid, owner.gid);
  const port = await freePort();
  const run = (command: string, args: string[]) => runAs(join(bin, command), args, owner);
  await run('initdb', ['-D', join(dir, 'data'), '-U', 'postgres', `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C']);
  const settings = options.throwaway ? ' -c fsync=off -c synchronous_commit=off -c full_page_writes=off' : '';
  await run('pg_ctl', ['-D', join(dir, 'data'), '-l', join(dir, 'server.log'), '-w', '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${settings}`, 'start']);
  return {
    adminUrl: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    port,
    dir,
    stop: async () => {
      await run('pg_ctl', ['-D', join(dir, 'data'), '-m', options.throwaway ? 'immediate' : 'fast', '-w', 'stop']).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function runAs(command: string, args: string[], owner: { uid: number; gid: number } | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...(owner ?? {}), env: { PATH: '/usr/bin:/bin', LC_ALL: 'C' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}
