import type { Logger } from 'pino';
import { pino } from 'pino';
import type { PlatformConfig } from '../config.js';

/** A started role (or all of them, `dozen up`): stopped once, on a signal or when asked. */
export interface Stoppable {
  stop(options?: { stopApps?: boolean }): Promise<void>;
}

/** The JSON logger of a platform process (pino: one object a line on stdout). */
export function processLogger(config: PlatformConfig, role: string | null): Logger {
  return pino({ level: config.logLevel, base: { service: 'dozen', pid: process.pid, ...(role === null ? {} : { role }) } });
}

/**
 * The life of a platform process: SIGTERM and SIGINT stop it gracefully and it exits 0 (1 when the
 * stop failed); `requestStop` (e.g. `dozen down`) does the same. A start that fails throws (the
 * CLI prints the error and exits 1).
 */
export async function runUntilStopped(logger: Logger, start: (requestStop: (reason: string, stopApps: boolean) => void) => Promise<Stoppable>, stopMessage: (stopApps: boolean) => string): Promise<void> {
  process.on('unhandledRejection', (error) => logger.error({ err: error }, 'unhandled rejection'));
  let stopping = false;
  let started: Stoppable | null = null;
  const stop = (reason: string, stopApps: boolean) => {
    if (stopping || started === null) return;
    stopping = true;
    logger.info({ reason, stopApps }, stopMessage(stopApps));
    started.stop({ stopApps }).then(
      () => {
        logger.info('stopped');
        logger.flush(() => process.exit(0));
      },
      (error: unknown) => {
        logger.error({ err: error }, 'stop failed');
        logger.flush(() => process.exit(1));
      },
    );
  };
  started = await start(stop);
  process.on('SIGTERM', () => stop('SIGTERM', false));
  process.on('SIGINT', () => stop('SIGINT', false));
}
