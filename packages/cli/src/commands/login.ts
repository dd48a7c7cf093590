import { createInterface } from 'node:readline/promises';
import { DozenClient } from '@dozen/contracts/client';
import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../command-kit.js';
import { saveCredential } from '../credentials.js';
import { print } from '../output.js';

export const registerLogin: Registrar = (program, context) => {
  program
    .command('login')
    .description('save an API token for DOZEN_API_URL (checked against the API first)')
    .option('--token <token>', 'the token (otherwise read from stdin)')
    .action(async (options: { token?: string }) => {
      const token = (options.token ?? (await readToken(context.stdinIsTty))).trim();
      if (!token) throw new DozenError('CLI_USAGE', 'No token given.', { hint: 'Pass --token TOKEN, or type it when asked.' });
      await new DozenClient({ baseUrl: context.apiUrl, token }).call('whoami', {});
      const file = saveCredential(context.configDir, context.apiUrl, token);
      print(`Logged in to ${context.apiUrl}; the token is saved in ${file}.`);
    });
};

async function readToken(interactive: boolean): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: interactive ? process.stderr : undefined, terminal: false });
  try {
    return await rl.question(interactive ? 'API token: ' : '');
  } finally {
    rl.close();
  }
}
