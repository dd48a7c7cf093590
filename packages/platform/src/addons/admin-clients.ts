import { DozenError } from '@dozen/contracts/errors';
import type { AddonClientTool } from '../core/ports/addons.js';
import { findProgram } from './binaries.js';

/**
 * The admin clients run as one-off processes of the app, so they reach the add-on exactly as the
 * app does. The binaries are the platform host's (postgresql-client, redis-tools), by absolute
 * path, because an app's slug has no psql; credentials go in the environment (PGPASSWORD,
 * REDISCLI_AUTH), never on the command line, where `ps` would show them to every user.
 */
export function adminClient(tool: AddonClientTool, url: string, args: string[], find = findProgram): { command: string[]; env: Record<string, string> } {
  const binary = find(tool);
  if (!binary) throw new DozenError('ADDON_CLIENT_MISSING', `${tool} is not installed on the platform host.`);
  const parsed = new URL(url);
  const user = decodeURIComponent(parsed.username);
  const password = decodeURIComponent(parsed.password);
  if (tool === 'psql') {
    const env: Record<string, string> = { PGHOST: parsed.hostname, PGPORT: parsed.port || '5432', PGDATABASE: decodeURIComponent(parsed.pathname.slice(1)), PGAPPNAME: 'dozen pg:psql' };
    if (user) env.PGUSER = user;
    if (password) env.PGPASSWORD = password;
    const sslmode = parsed.searchParams.get('sslmode');
    if (sslmode) env.PGSSLMODE = sslmode;
    return { command: [binary, ...args], env };
  }
  const command = [binary, '-h', parsed.hostname, '-p', parsed.port || '6379'];
  if (user) command.push('--user', user);
  const db = parsed.pathname.slice(1);
  if (/^\d+$/.test(db)) command.push('-n', db);
  if (parsed.protocol === 'rediss:') command.push('--tls');
  return { command: [...command, ...args], env: password ? { REDISCLI_AUTH: password } : {} };
}
