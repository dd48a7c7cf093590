import { DozenClient } from '@dozen/contracts/client';
import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../command-kit.js';
import { saveCredential } from '../credentials.js';
import { print } from '../output.js';
import { readLine, readSecret } from '../secret-prompt.js';

interface LoginOptions {
  token?: string;
  email?: string;
  setup?: string;
}

export const registerLogin: Registrar = (program, context) => {
  program
    .command('login')
    .description('log in to DOZEN_API_URL with email and password (or --setup CODE, or --token) and save the token')
    .option('--email <email>', 'the email (otherwise asked)')
    .option('--setup <code>', 'choose your password with the setup code from `dozen users:add`')
    .option('--token <token>', 'save an existing API token instead (checked against the API first)')
    .action(async (options: LoginOptions) => {
      const client = new DozenClient({ baseUrl: context.apiUrl });
      let token: string;
      let who: string;
      if (options.token !== undefined) {
        token = options.token.trim();
        if (!token) throw new DozenError('CLI_USAGE', 'No token given.', { hint: 'Pass --token TOKEN.' });
        who = (await new DozenClient({ baseUrl: context.apiUrl, token }).call('whoami', {})).label;
      } else if (options.setup !== undefined) {
        const password = await readSecret('Choose a password (at least 12 characters): ', context.password, context.stdinIsTty);
        if (context.stdinIsTty && !context.password && (await readSecret('Repeat it: ', undefined, true)) !== password) {
          throw new DozenError('CLI_USAGE', 'The two passwords differ.', { hint: 'Run `dozen login --setup CODE` again.' });
        }
        ({ token, email: who } = await client.call('completeSetup', { body: { code: options.setup.trim(), password } }));
      } else {
        const email = options.email ?? (await readLine('Email: ', context.stdinIsTty));
        const password = await readSecret('Password: ', context.password, context.stdinIsTty);
        ({ token, email: who } = await client.call('login', { body: { email, password } }));
      }
      const file = saveCredential(context.configDir, context.apiUrl, token);
      print(`Logged in to ${context.apiUrl} as ${who}; the token is saved in ${file}.`);
    });
};
