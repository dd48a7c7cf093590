import { DozenError } from '@dozen/contracts/errors';
import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';
import { certName } from './cert-files.js';

export const registerCertsRemove: Registrar = (program, context) => {
  appCommand(program, 'certs:remove', 'stop serving a certificate and delete it')
    .option('--name <name>', 'the certificate (`dozen certs` lists them); not needed when the app has one')
    .option('--api', 'from the platform\'s API domain (DOZEN_API_DOMAIN) instead of an app (admins; --name required)')
    .action(async (options: AppOptions & { name?: string; api?: boolean }) => {
      if (options.api) {
        if (!options.name) throw new DozenError('CLI_USAGE', 'certs:remove --api needs --name NAME.', { hint: 'Run `dozen certs --api` to list the API domain\'s certificates.' });
        await context.client().call('removeApiCert', { params: { cert: options.name } });
        return print(`Removed certificate ${options.name} from the API domain.`);
      }
      const app = requireAppName(options);
      const cert = await certName(context.client(), app, options.name);
      await context.client().call('removeCert', { params: { app, cert } });
      print(`Removed certificate ${cert} from ${app}; its domains get no certificate over HTTPS now.`);
    });
};
