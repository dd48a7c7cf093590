import { appCommand, requireAppName, type AppOptions, type Registrar } from '../../command-kit.js';
import { print } from '../../output.js';
import { certName } from './cert-files.js';

export const registerCertsRemove: Registrar = (program, context) => {
  appCommand(program, 'certs:remove', 'stop serving a certificate and delete it')
    .option('--name <name>', 'the certificate (`dozen certs` lists them); not needed when the app has one')
    .action(async (options: AppOptions & { name?: string }) => {
      const app = requireAppName(options);
      const cert = await certName(context.client(), app, options.name);
      await context.client().call('removeCert', { params: { app, cert } });
      print(`Removed certificate ${cert} from ${app}; its domains get no certificate over HTTPS now.`);
    });
};
