import type { ProcessState, ProcessStatus } from '../core/model.js';
import { LABEL_RELEASE, LABEL_TYPE, type KubeObject } from './kube-plan.js';

interface ContainerStatus {
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; running?: { startedAt?: string }; terminated?: { exitCode?: number; signal?: number; reason?: string } };
  lastState?: { terminated?: { exitCode?: number; signal?: number; reason?: string } };
}

interface PodFields {
  metadata: { name: string; uid?: string; creationTimestamp?: string; deletionTimestamp?: string; labels: Record<string, string> };
  spec?: { containers?: { command?: string[]; ports?: { containerPort: number }[] }[] };
  status?: { phase?: string; startTime?: string; containerStatuses?: ContainerStatus[] };
}

/**
 * `ps` from the pods of an app: per type numbered in the order they were created (a Deployment's
 * pods have no ordinal: `web.1` is the oldest web pod now), so that logs and ps agree.
 */
export function processesOf(pods: readonly KubeObject[]): ProcessStatus[] {
  const byType = new Map<string, PodFields[]>();
  for (const pod of pods as unknown as PodFields[]) {
    const type = pod.metadata.labels[LABEL_TYPE];
    if (type === undefined) continue;
    byType.set(type, [...(byType.get(type) ?? []), pod]);
  }
  const processes: ProcessStatus[] = [];
  for (const [type, list] of [...byType].sort(([a], [b]) => a.localeCompare(b))) {
    list.sort(olderFirst).forEach((pod, at) => processes.push(statusOf(pod, type, at + 1)));
  }
  return processes;
}

/** The pod names of `processesOf`, by process name (`web.1` -> pod). */
export function podNamesOf(pods: readonly KubeObject[]): Map<string, string> {
  const names = new Map<string, string>();
  const statuses = processesOf(pods);
  for (const status of statuses) names.set(status.name, status.id);
  return names;
}

function olderFirst(a: PodFields, b: PodFields): number {
  return (a.metadata.creationTimestamp ?? '').localeCompare(b.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name);
}

function statusOf(pod: PodFields, type: string, index: number): ProcessStatus {
  const container = pod.status?.containerStatuses?.[0];
  const spec = pod.spec?.containers?.[0];
  const last = container?.lastState?.terminated;
  return {
    id: pod.metadata.name,
    name: `${type}.${index}`,
    type,
    index,
    release: Number((pod.metadata.labels[LABEL_RELEASE] ?? 'v0').slice(1)),
    state: stateOf(pod, container),
    command: spec?.command?.[2] ?? '',
    pid: null,
    port: spec?.ports?.[0]?.containerPort ?? null,
    startedAt: pod.status?.startTime ?? null,
    restarts: container?.restartCount ?? 0,
    lastExit: last ? exitText(last) : null,
    nextRestartAt: null,
    rssBytes: null,
    cpuSeconds: null,
    size: null,
    memoryQuotaBytes: null,
    sandboxed: true,
  };
}

function stateOf(pod: PodFields, container: ContainerStatus | undefined): ProcessState {
  if (pod.metadata.deletionTimestamp !== undefined) return 'stopping';
  const phase = pod.status?.phase;
  if (phase === 'Failed' || container?.state?.terminated !== undefined) return 'crashed';
  if (container?.state?.waiting?.reason === 'CrashLoopBackOff') return 'crashed';
  if (phase === 'Running' && container?.ready === true) return 'up';
  return 'starting';
}

/** `exit 3`, `SIGKILL` or the kubelet's reason (`OOMKilled`: Heroku's R15). */
function exitText(terminated: { exitCode?: number; signal?: number; reason?: string }): string {
  if (terminated.reason === 'OOMKilled') return 'OOMKilled';
  if (terminated.signal) return `signal ${terminated.signal}`;
  return `exit ${terminated.exitCode ?? '?'}`;
}
