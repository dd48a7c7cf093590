import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DozenError } from '@dozen/contracts/errors';
import type { Registrar } from '../../command-kit.js';
import { print } from '../../output.js';
import { redactEnvFile, serviceEnvFile, serviceUnit } from '../../service-unit.js';

interface InstallOptions {
  user: string;
  dataDir?: string;
  environmentFile: string;
  unitFile: string;
  print?: boolean;
  enable?: boolean;
}

const UNIT_FILE = '/etc/systemd/system/dozen.service';
const ENV_FILE = '/etc/dozen/dozen.env';

export const registerServiceInstall: Registrar = (program, context) => {
  program
    .command('service:install')
    .description('write (and print) a systemd unit and env file that run this Dozen as a service')
    .option('--user <user>', 'the user the platform runs as', 'root')
    .option('--data-dir <dir>', 'the data dir (default: DOZEN_DATA_DIR, else /var/lib/dozen)')
    .option('--environment-file <file>', 'where the env file goes', ENV_FILE)
    .option('--unit-file <file>', 'where the unit goes', UNIT_FILE)
    .option('--print', 'only print them; write nothing')
    .option('--enable', 'then run systemctl daemon-reload and enable --now')
    .action((options: InstallOptions) => {
      const { DOZEN_DATA_DIR, ...env } = context.platformEnv;
      const dataDir = resolve(options.dataDir ?? DOZEN_DATA_DIR ?? '/var/lib/dozen');
      const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
      const unitFile = resolve(options.unitFile);
      const envFile = resolve(options.environmentFile);
      const unit = serviceUnit({ user: options.user, dataDir, envFile, node: process.execPath, dozen: resolve(root, 'bin', 'dozen.js'), docs: resolve(root, '..', '..', 'docs', 'production.md') });
      const envText = serviceEnvFile(dataDir, env);
      const unitName = unitFile.split('/').pop() as string;
      if (!options.print) {
        write(envFile, envText, 0o600);
        write(unitFile, unit, 0o644);
      }
      print(`=== ${unitFile}${options.print ? ' (not written)' : ''}`);
      print(unit);
      print(`=== ${envFile}${options.print ? ' (not written)' : ' (mode 0600)'}`);
      print(redactEnvFile(envText));
      const commands = [['systemctl', 'daemon-reload'], ['systemctl', 'enable', '--now', unitName]];
      if (options.enable && !options.print) {
        for (const argv of commands) run(argv);
        print(`Enabled and started ${unitName}: \`systemctl status ${unitName}\`, \`journalctl -u ${unitName} -f\`.`);
      } else {
        print('To start it now and at every boot, run:');
        for (const argv of commands) print(`  ${argv.join(' ')}`);
      }
    });
};

function write(file: string, text: string, mode: number): void {
  try {
    mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
    writeFileSync(file, text, { mode });
    chmodSync(file, mode);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new DozenError('SERVICE_INSTALL_FAILED', `Cannot write ${file}: ${code === 'EACCES' || code === 'EPERM' ? 'permission denied' : (error as Error).message}.`);
  }
}

function run(argv: string[]): void {
  try {
    execFileSync(argv[0] as string, argv.slice(1), { stdio: 'inherit' });
  } catch (error) {
    throw new DozenError('SERVICE_INSTALL_FAILED', `\`${argv.join(' ')}\` failed: ${(error as Error).message}. The unit and the env file are written.`, {
      hint: 'Is this host run by systemd? Run the command yourself, or start the platform another way (`dozen up`).',
    });
  }
}
