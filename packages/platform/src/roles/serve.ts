import { DozenError } from '@dozen/contracts/errors';
import { readConfig } from '../config.js';
import { isRole, requireClusterSettings, ROLES } from '../cluster/cluster-config.js';
import { processLogger, runUntilStopped } from './process-lifecycle.js';

/**
 * `dozen serve <role>`: one role of a cluster in this process, on the PostgreSQL store of
 * DATABASE_URL, with the cluster token (docs/scale-out.md). JSON logs on stdout; SIGTERM stops it
 * gracefully (exit 0; the router only with `stopApps`, as its apps stop with it); a refused start
 * throws (the CLI prints it and exits 1).
 */
export async function serve(role: string, options: { stopApps?: boolean } = {}): Promise<void> {
  if (!isRole(role)) throw new DozenError('ROLE_UNKNOWN', `There is no role ${JSON.stringify(role)}: the roles are ${ROLES.join(', ')}.`);
  const config = readConfig();
  requireClusterSettings(role, config.store, config.cluster);
  if (role === 'router') {
    // The data plane of a host: the router and the app processes, in the foreground (edge-main.ts);
    // a signal stops the apps only with --stop-apps (docs/decisions.md, "The router role").
    const { edgeMain } = await import('../edge-main.js');
    return edgeMain({ stopAppsOnSignal: options.stopApps === true });
  }
  const logger = processLogger(config, role);
  const { startRole } = await import('./cluster-adapters.js');
  await runUntilStopped(logger, () => startRole(role, config, logger), () => `stopping the ${role} role`);
}
