import type { Registrar } from '../../command-kit.js';
import { print, printJson } from '../../output.js';

export const registerSecretsRotate: Registrar = (program, context) => {
  program
    .command('secrets:rotate')
    .description('re-wrap every data key of the secrets at rest under a new master key (admin); apps keep running, values do not change')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }) => {
      const done = await context.client().call('rotateSecretKey', {});
      if (options.json) return printJson(done);
      print(`Re-wrapped ${done.rewrapped} of ${done.dataKeys} data keys: every one is now under master key id ${done.keyId}.`);
      if (done.retiredKeyIds.length === 0) return;
      if (done.source === 'file') print(`Deleted the old master key ${done.retiredKeyIds.join(', ')} from the key file.`);
      else print(`Nothing needs master key ${done.retiredKeyIds.join(', ')} any more: remove it from DOZEN_SECRET_KEY at the next restart.`);
    });
};
