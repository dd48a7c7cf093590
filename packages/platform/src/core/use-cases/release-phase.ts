import type { CoreDeps } from '../deps.js';
import { LineSplitter } from '../line-splitter.js';
import type { RunTarget } from '../ports/runtime.js';

/**
 * Runs a one-off command of a release to its end (the release phase, app.json postdeploy),
 * streaming its output to `progress`; the runtime also sends it to the app's log stream.
 * Answers null on success, else how it failed ("exited with status 1", "did not finish...").
 */
export async function runOneOffToEnd(deps: CoreDeps, target: RunTarget, command: string, name: string, timeoutMs: number, progress: (line: string) => void): Promise<string | null> {
  const print = (line: string) => progress(`       ${line}`);
  const out = new LineSplitter(print);
  const err = new LineSplitter(print);
  const started = deps.clock.now().getTime();
  const run = deps.runtime.runOneOff(target, { command: [command], name, timeoutMs, onStdout: (c) => out.push(c), onStderr: (c) => err.push(c) });
  const exit = await run.exit;
  out.end();
  err.end();
  if (exit.code === 0) return null;
  // Killed at its timeout: a sandboxed process reports that as status 137 (128 + SIGKILL), as on Heroku.
  const killed = exit.signal === 'SIGKILL' || exit.code === 137;
  if (killed && deps.clock.now().getTime() - started >= timeoutMs) return `did not finish within ${Math.round(timeoutMs / 1000)} s and was stopped`;
  return exit.code !== null ? `exited with status ${exit.code}` : `was ended by signal ${exit.signal}`;
}
