/**
 * A reader that goes away (`dozen logs | head`) closes our stdout: the next write fails with EPIPE.
 * git dies of SIGPIPE there, quietly, and the shell reports 141 (128 + 13); Node ignores SIGPIPE and
 * would throw the EPIPE with a stack, so the CLI ends the same way git does: silent, status 141.
 */
export const CLOSED_OUTPUT_EXIT = 141;

export function quitOnClosedOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(CLOSED_OUTPUT_EXIT);
    });
  }
}
