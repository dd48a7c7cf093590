import { CommanderError } from 'commander';
import { quitOnClosedOutput } from './closed-output.js';
import { readContext } from './context.js';
import { printError } from './output.js';
import { buildProgram, toUsageError } from './program.js';

/** The CLI's one top-level catch: every failure is printed once, with a non-zero exit. */
async function main(argv: string[]): Promise<void> {
  quitOnClosedOutput();
  const context = readContext();
  const program = await buildProgram(context, argv.slice(2));
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return;
    const usage = toUsageError(error, argv.slice(2));
    printError(usage ?? error, verbose);
    process.exitCode = usage ? 2 : 1;
  }
}

await main(process.argv);
