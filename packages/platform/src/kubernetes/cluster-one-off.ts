import { randomInt } from 'node:crypto';
import { createInterface } from 'node:readline';
import { PassThrough, Writable, type Readable } from 'node:stream';
import type { OneOff, OneOffRequest } from '../core/ports/runtime.js';
import type { KubeApi } from './kube-api.js';
import { type KubeObject, type KubePlan } from './kube-plan.js';
import { appObjects, oneOffPod, releaseJob } from './manifests.js';

/** Attaches to a running pod's container (the Kubernetes attach API; `Attach` of @kubernetes/client-node). */
export interface Attacher {
  attach(namespace: string, pod: string, container: string, io: { stdout: Writable; stderr: Writable; stdin: Readable; tty: boolean }): Promise<{ close(): void }>;
}

export interface OneOffContext {
  api: KubeApi;
  attacher: Attacher;
  plan(): Promise<KubePlan>;
  pollMs: number;
}

type Exit = { code: number | null; signal: string | null };

/**
 * A one-off process on the cluster: `release.<N>` (the release phase) as the Job
 * `<app>-release-v<N>` whose pod's log is streamed; anything else (`dozen run`) as a bare Pod
 * attached to (stdin, TTY). Its exit is its container's; killing it deletes its pod.
 */
export function runOnCluster(context: OneOffContext, request: OneOffRequest): OneOff {
  const name = request.name ?? `run.${randomInt(1000, 10000)}`;
  const stdin = new PassThrough();
  let podName: string | null = null;
  let killed: string | null = null;
  const kill = (signal: 'SIGINT' | 'SIGTERM' | 'SIGKILL') => {
    killed = signal;
    if (podName !== null) void context.api.delete('Pod', podName).catch(() => undefined);
  };
  const timer = request.timeoutMs === undefined ? null : setTimeout(() => kill('SIGKILL'), request.timeoutMs);
  const exit = (async (): Promise<Exit> => {
    try {
      const plan = await context.plan();
      // The release's Secrets first: a release phase runs before its Deployments are applied.
      for (const secret of appObjects(plan).filter((object) => object.kind === 'Secret')) await context.api.apply(secret);
      const code = name.startsWith('release.') ? await runJob(context, plan, request, (pod) => (podName = pod)) : await runPod(context, plan, name, request, stdin, (pod) => (podName = pod));
      return killed !== null ? { code: null, signal: killed } : { code, signal: null };
    } catch (error) {
      request.onStderr(new TextEncoder().encode(`${(error as Error).message}\n`));
      return killed !== null ? { code: null, signal: killed } : { code: 1, signal: null };
    } finally {
      if (timer) clearTimeout(timer);
    }
  })();
  return {
    name,
    writeStdin: (chunk) => void stdin.write(chunk),
    endStdin: () => void stdin.end(),
    kill,
    resize: () => undefined,
    pauseOutput: () => undefined,
    resumeOutput: () => undefined,
    exit,
  };
}

async function runJob(context: OneOffContext, plan: KubePlan, request: OneOffRequest, started: (pod: string) => void): Promise<number | null> {
  const job = releaseJob(plan) as KubeObject;
  await context.api.apply(job);
  const pod = await waitForPod(context, { 'job-name': job.metadata.name }, (phase) => phase !== 'Pending');
  started(pod.metadata.name);
  const response = await context.api.stream(context.api.logPath(pod.metadata.name, 'release', null));
  for await (const line of createInterface({ input: response, crlfDelay: Infinity })) request.onStdout(new TextEncoder().encode(`${line}\n`));
  const done = await waitForPod(context, { 'job-name': job.metadata.name }, (phase) => phase === 'Succeeded' || phase === 'Failed');
  return exitCodeOf(done);
}

async function runPod(context: OneOffContext, plan: KubePlan, name: string, request: OneOffRequest, stdin: PassThrough, started: (pod: string) => void): Promise<number | null> {
  const pod = oneOffPod(plan, name, (request.command.length === 1 ? request.command[0] : request.command.map(quote).join(' ')) ?? '', request.tty !== undefined);
  await context.api.apply(pod);
  started(pod.metadata.name);
  try {
    await waitForPod(context, { 'dozen.dev/app': plan.target.app }, (phase) => phase !== 'Pending', pod.metadata.name);
    const sink = (write: (chunk: Uint8Array) => void) => new Writable({ write: (chunk: Buffer, _, done) => (write(chunk), done()) });
    const session = await context.attacher.attach(plan.cluster.namespace, pod.metadata.name, 'run', { stdout: sink(request.onStdout), stderr: sink(request.onStderr), stdin, tty: request.tty !== undefined });
    const done = await waitForPod(context, { 'dozen.dev/app': plan.target.app }, (phase) => phase === 'Succeeded' || phase === 'Failed', pod.metadata.name);
    session.close();
    return exitCodeOf(done);
  } finally {
    await context.api.delete('Pod', pod.metadata.name).catch(() => undefined);
  }
}

/** Polls the pods with `labels` (or the one named) until one's phase passes `ready`. */
async function waitForPod(context: OneOffContext, labels: Record<string, string>, ready: (phase: string) => boolean, name?: string): Promise<KubeObject> {
  for (;;) {
    const pods = name === undefined ? await context.api.list('Pod', labels) : [await context.api.get('Pod', name)].filter((pod): pod is KubeObject => pod !== null);
    if (name !== undefined && pods.length === 0) throw new Error(`pod ${name} is gone`);
    const found = pods.find((pod) => ready(phaseOf(pod)));
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, context.pollMs));
  }
}

function phaseOf(pod: KubeObject): string {
  return (pod as { status?: { phase?: string } }).status?.phase ?? 'Pending';
}

function exitCodeOf(pod: KubeObject): number | null {
  const statuses = (pod as { status?: { containerStatuses?: { state?: { terminated?: { exitCode?: number } } }[] } }).status?.containerStatuses;
  return statuses?.[0]?.state?.terminated?.exitCode ?? null;
}

function quote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
