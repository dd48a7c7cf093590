import type { KubeApi } from './kube-api.js';
import type { KubeObject } from './kube-plan.js';

interface DeploymentState {
  metadata: { name: string; generation?: number };
  spec?: { replicas?: number };
  status?: { observedGeneration?: number; replicas?: number; updatedReplicas?: number; availableReplicas?: number; conditions?: { type: string; status: string; reason?: string; message?: string }[] };
}

export interface RolloutWait {
  timeoutMs: number;
  pollMs: number;
  progress(line: string): void;
  abandoned?: AbortSignal;
}

/**
 * Resolves once every Deployment has rolled out (`kubectl rollout status`'s rule: the new
 * generation observed, all replicas updated and available, no old ones left); rejects on the
 * timeout, a ProgressDeadlineExceeded or the caller going away.
 */
export async function awaitDeployments(api: KubeApi, deployments: readonly KubeObject[], wait: RolloutWait): Promise<void> {
  const deadline = Date.now() + wait.timeoutMs;
  const pending = new Set(deployments.map((deployment) => deployment.metadata.name));
  while (pending.size > 0) {
    if (wait.abandoned?.aborted) throw new Error('the deploy was abandoned');
    for (const name of [...pending]) {
      const found = (await api.get('Deployment', name)) as DeploymentState | null;
      if (found === null) throw new Error(`Deployment ${name} is gone`);
      const failed = found.status?.conditions?.find((condition) => condition.type === 'Progressing' && condition.reason === 'ProgressDeadlineExceeded');
      if (failed) throw new Error(`Deployment ${name}: ${failed.message ?? failed.reason}`);
      if (rolledOut(found)) {
        pending.delete(name);
        wait.progress(`${name}: ${found.spec?.replicas ?? 0} of ${found.spec?.replicas ?? 0} up to date and available`);
      }
    }
    if (pending.size === 0) return;
    if (Date.now() >= deadline) throw new Error(`${[...pending].join(', ')} not available within ${Math.round(wait.timeoutMs / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, wait.pollMs));
  }
}

function rolledOut(deployment: DeploymentState): boolean {
  const wanted = deployment.spec?.replicas ?? 0;
  const status = deployment.status ?? {};
  if ((status.observedGeneration ?? 0) < (deployment.metadata.generation ?? 1)) return false;
  return (status.updatedReplicas ?? 0) >= wanted && (status.availableReplicas ?? 0) >= wanted && (status.replicas ?? 0) <= wanted;
}
