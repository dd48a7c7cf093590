import { DozenError } from '@dozen/contracts/errors';
import type { PgSession } from './pg-session.js';
import { quoteIdent, quoteLiteral } from './sql-quote.js';

export interface Step {
  label: string;
  run(): Promise<unknown>;
  /** Takes back what `run` made; undefined when there is nothing to take back. */
  undo?: () => Promise<unknown>;
}

/**
 * The statements that make an add-on, each with its undo: a role with a random password, its own
 * database, CONNECT for nobody else, no CREATE in public for PUBLIC.
 */
export function provisionSteps(session: PgSession, name: string, password: string, connectionLimit: number, connectTo: (database: string) => Promise<PgSession>): Step[] {
  const ident = quoteIdent(name);
  return [
    {
      label: `create role ${name}`,
      run: () => session.query(`create role ${ident} login password ${quoteLiteral(password)} connection limit ${connectionLimit} nosuperuser nocreatedb nocreaterole`),
      undo: () => session.query(`drop role if exists ${ident}`),
    },
    // A non-superuser admin must be a member of the role to create a database it owns and to drop it later.
    { label: `grant ${name} to the admin`, run: () => session.query(`grant ${ident} to current_user`) },
    {
      label: `create database ${name}`,
      run: () => session.query(`create database ${ident} owner ${ident} encoding 'UTF8' template template0`),
      undo: async () => {
        await session.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = ${quoteLiteral(name)} and pid <> pg_backend_pid()`);
        await session.query(`drop database if exists ${ident}`);
      },
    },
    { label: `revoke connect on ${name} from public`, run: () => session.query(`revoke all on database ${ident} from public`) },
    { label: `lock down schema public of ${name}`, run: () => lockDownPublicSchema(connectTo, name) },
  ];
}

/**
 * PostgreSQL 15+ already gives CREATE on `public` only to the database owner; older servers give
 * it to PUBLIC, so there the owner gets it explicitly and PUBLIC loses it (needs a superuser).
 */
async function lockDownPublicSchema(connectTo: (database: string) => Promise<PgSession>, name: string): Promise<void> {
  const session = await connectTo(name);
  try {
    const [row] = await session.query(`select current_setting('server_version_num')::int as version`);
    if (Number(row?.version) < 150000) await session.query(`grant all on schema public to ${quoteIdent(name)}`);
    await session.query('revoke create on schema public from public');
  } finally {
    await session.end();
  }
}

/** Runs the steps in order; on a failure, undoes the finished ones in reverse and says what failed. */
export async function runSteps(steps: Step[]): Promise<void> {
  const done: Step[] = [];
  for (const step of steps) {
    try {
      await step.run();
      done.push(step);
    } catch (error) {
      const leftovers = await undoAll(done);
      throw provisionFailure(step.label, error, leftovers);
    }
  }
}

async function undoAll(done: Step[]): Promise<string[]> {
  const leftovers: string[] = [];
  for (const step of [...done].reverse()) {
    if (!step.undo) continue;
    try {
      await step.undo();
    } catch (error) {
      leftovers.push(`${step.label} (${(error as Error).message})`);
    }
  }
  return leftovers;
}

function provisionFailure(label: string, error: unknown, leftovers: string[]): DozenError {
  const cleaned = leftovers.length === 0 ? 'Nothing was left behind.' : `Could not clean up: ${leftovers.join('; ')}.`;
  if (error instanceof DozenError) return new DozenError(error.code, `${error.message} ${cleaned}`, { hint: error.hint, cause: error });
  const code = (error as { code?: string }).code === '42501' ? 'ADDON_ADMIN_PRIVILEGES_MISSING' : 'ADDON_PROVISION_FAILED';
  return new DozenError(code, `Provisioning failed at "${label}": ${(error as Error).message}. ${cleaned}`, { cause: error });
}
