import { DozenError } from '@dozen/contracts/errors';
import { readConfig } from '../config.js';
import { isRole, requireClusterSettings, ROLES } from '../cluster/cluster-config.js';
import { processLogger, runUntilStopped } from './process-lifecycle.js';

/**
 * `dozen serve <role>`: one role of a cluster in this process, on the PostgreSQL store of
 * DATABASE_URL, with the cluster token (docs/scale-out.md). JSON logs on stdout; SIGTERM stops it
 * gracefully (exit 0); a refused start throws (the CLI prints it and exits 1).
 */
export async function serve(role: string): Promise<void> {
  if (!isRole(role)) throw new DozenError('ROLE_UNKNOWN', `There is no role ${JSON.stringify(role)}: the roles are ${ROLES.join(', ')}.`);
  const config = readConfig();
  requireClusterSettings(role, config.store, config.cluster);
  if (role === 'router') {
    // The data plane of a host: the router and the app processes, in the foreground (edge-main.ts).
    const { edgeMain } = await import('../edge-main.js');
    return edgeMain();
  }
  const logger = processLogger(config, role);
  const { startRole } = await import('./cluster-adapters.js');
  await runUntilStopped(logger, () => startRole(role, config, logger), () => `stopping the ${role} role`);
}
