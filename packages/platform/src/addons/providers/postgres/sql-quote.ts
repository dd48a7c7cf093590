import { DozenError } from '@dozen/contracts/errors';

/**
 * DDL takes no bind parameters, so names and passwords are inlined. Names are ours
 * (`dz_` + id characters) and checked again here; literals double their quotes
 * (standard_conforming_strings is on since PostgreSQL 9.1).
 */
export function quoteIdent(name: string | undefined): string {
  if (!name || !/^[a-z_][a-z0-9_]*$/.test(name)) throw new DozenError('INTERNAL', `Refusing the PostgreSQL identifier ${JSON.stringify(name)}.`);
  return `"${name}"`;
}

export function quoteLiteral(value: string | undefined): string {
  if (value === undefined || value.includes('\u0000')) throw new DozenError('INTERNAL', 'Refusing a PostgreSQL literal.');
  return `'${value.replace(/'/g, "''")}'`;
}
