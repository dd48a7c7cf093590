import type { Logger } from 'pino';
import { DozenError } from '@dozen/contracts/errors';
import type { PlatformConfig } from '../config.js';
import type { Role } from '../cluster/cluster-config.js';
import type { Stoppable } from './process-lifecycle.js';

/**
 * The one place that constructs the PostgreSQL adapters of the cluster (session connection,
 * Notifier, Leases, Members, log history, build output, the build queue, the relay) and hands
 * them to a role's wiring (api-role.ts, builder-role.ts, runtime-role.ts).
 */
export async function startRole(role: Exclude<Role, 'router'>, _config: PlatformConfig, _logger: Logger): Promise<Stoppable> {
  throw new DozenError('ROLE_UNKNOWN', `The ${role} role is not wired yet.`);
}
