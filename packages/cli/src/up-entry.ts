import { quitOnClosedOutput } from './closed-output.js';
import { printError } from './output.js';

/**
 * `dozen up` as bin/dozen.js starts it: the platform, without the CLI's command table and commander,
 * which a process that runs for days would keep in memory for nothing (docs/decisions.md, "Idle
 * memory"). A failed start is printed as every CLI error is, with exit status 1.
 */
export async function runUp(): Promise<void> {
  quitOnClosedOutput();
  try {
    const { up } = await import('@dozen/platform');
    await up();
  } catch (error) {
    printError(error, false);
    process.exitCode = 1;
  }
}
