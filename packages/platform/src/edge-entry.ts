import { writeSync } from 'node:fs';
import { edgeMain } from './edge-main.js';

/**
 * The edge process's program (started by edge-link/edge-launcher.ts). Fd 3, when the launcher
 * gives one, hears once whether the start worked: `ready`, or the error as JSON.
 */
const STATUS_FD = 3;

function tell(text: string): void {
  try {
    writeSync(STATUS_FD, `${text}\n`);
  } catch {
    // Started by hand, without a status pipe.
  }
}

edgeMain().then(
  () => tell('ready'),
  (error: unknown) => {
    const { code, message, hint } = error as { code?: string; message?: string; hint?: string };
    tell(JSON.stringify({ code: code ?? 'INTERNAL', message: message ?? String(error), hint }));
    process.stderr.write(`${String((error as Error).stack ?? error)}\n`);
    process.exit(1);
  },
);
