import { DozenError } from '@dozen/contracts/errors';
import type { PgSession } from './pg-session.js';

/** The admin account must create databases and roles: a superuser, or CREATEDB and CREATEROLE. */
export async function assertAdminPrivileges(session: PgSession, where: string): Promise<void> {
  const [row] = await session.query('select current_user as name, rolsuper, rolcreaterole, rolcreatedb from pg_roles where rolname = current_user');
  if (!row || row.rolsuper === true) return;
  const missing = [row.rolcreatedb === true ? null : 'CREATEDB', row.rolcreaterole === true ? null : 'CREATEROLE'].filter((m): m is string => m !== null);
  if (missing.length === 0) return;
  throw new DozenError('ADDON_ADMIN_PRIVILEGES_MISSING', `The admin role ${String(row.name)} on PostgreSQL at ${where} lacks ${missing.join(' and ')}, which provisioning needs.`);
}

export async function serverVersion(session: PgSession): Promise<string> {
  const [row] = await session.query(`select current_setting('server_version') as version`);
  return String(row?.version ?? 'unknown').split(' ')[0] ?? 'unknown';
}
