import { setTimeout as sleep } from 'node:timers/promises';

export interface PrepareRetry {
  /** Makes the target's slug present (the relay's slug fetch). */
  prepare: () => Promise<void>;
  /** False once a newer target of the app came (latest target wins): the retry ends. */
  wanted: () => boolean;
  /** The connection or the leader's term: the retry ends with it. */
  signal: AbortSignal;
  /** The first wait; each next one doubles, up to `maxMs`. Default 1 s and 60 s. */
  firstMs?: number;
  maxMs?: number;
}

/**
 * Tries a failed `prepare` of a converge notice again (issue 19: a notice has no caller to hear
 * its error; an api briefly away must not leave the app unconverged): after 1 s, 2 s, 4 s ... (at
 * most 60 s apart) until it succeeds (true: deliver the notice), or the target is superseded or the
 * signal aborts (false: drop it). Timers never keep the process alive.
 */
export async function retryPrepare(retry: PrepareRetry): Promise<boolean> {
  const maxMs = retry.maxMs ?? 60_000;
  for (let delay = retry.firstMs ?? 1000; ; delay = Math.min(delay * 2, maxMs)) {
    try {
      await sleep(delay, undefined, { signal: retry.signal, ref: false });
    } catch {
      return false;
    }
    if (!retry.wanted()) return false;
    try {
      await retry.prepare();
    } catch {
      continue;
    }
    return retry.wanted() && !retry.signal.aborted;
  }
}

/** The key under which a message's target supersedes an older one of the same app: converge and rollout by app name; null for others. */
export function targetKey(method: string, params: unknown): string | null {
  if (method === 'converge') return (params as { app?: string }).app ?? null;
  if (method === 'rollout') return (params as { target?: { app?: string } }).target?.app ?? null;
  return null;
}
