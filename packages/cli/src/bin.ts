/** The CLI's one top-level catch: every failure is printed once, with a non-zero exit. */
async function main(argv: string[]): Promise<void> {
  // git runs the credential helper twice per push: it starts without the rest of the CLI.
  if (argv[2] === 'git:credential' && !argv.includes('--help') && !argv.includes('-h')) {
    const { runCredentialHelper } = await import('./credential-helper.js');
    process.exitCode = await runCredentialHelper(argv.slice(3));
    return;
  }
  const { CommanderError } = await import('commander');
  const { readContext } = await import('./context.js');
  const { printError } = await import('./output.js');
  const { buildProgram, toUsageError } = await import('./program.js');
  const context = readContext();
  const program = buildProgram(context);
  const verbose = argv.includes('--verbose');
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError && error.exitCode === 0) return;
    const usage = toUsageError(error);
    printError(usage ?? error, verbose);
    process.exitCode = usage ? 2 : 1;
  }
}

await main(process.argv);
