import { DozenError } from '@dozen/contracts/errors';

export interface ServiceSpec {
  /** The user the platform runs as (root: it starts each app as its own user, in a sandbox). */
  user: string;
  dataDir: string;
  envFile: string;
  /** Absolute paths: the node binary and this checkout's bin/dozen.js. */
  node: string;
  dozen: string;
  /** Where the docs of this checkout are (Documentation=). */
  docs: string;
}

/** The open-file limit of the service: every proxied connection holds two descriptors. */
export const SERVICE_NOFILE = 1048576;

/**
 * The systemd unit of the platform. `KillMode=process`: a stop or restart sends SIGTERM to the
 * platform's main process only; whatever else runs in the service's cgroup (app processes and the
 * process that keeps them) is left running, and the next start re-adopts it. `dozen down
 * --stop-apps` stops them on purpose.
 */
export function serviceUnit(spec: ServiceSpec): string {
  for (const [what, value] of Object.entries({ user: spec.user, dataDir: spec.dataDir, envFile: spec.envFile, node: spec.node, dozen: spec.dozen })) checkUnitValue(what, value);
  return [
    '[Unit]',
    'Description=Dozen: build, release and run twelve-factor apps',
    `Documentation=file://${spec.docs}`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    `User=${spec.user}`,
    `EnvironmentFile=${spec.envFile}`,
    `WorkingDirectory=${spec.dataDir}`,
    `ExecStart=${spec.node} ${spec.dozen} up`,
    'Restart=on-failure',
    'RestartSec=2',
    `LimitNOFILE=${SERVICE_NOFILE}`,
    '# Stop and restart signal the platform only: the apps keep serving (docs/production.md, The service).',
    'KillMode=process',
    'KillSignal=SIGTERM',
    'TimeoutStopSec=60',
    '# The platform sets cgroup limits for app processes and builds under its own cgroup.',
    'Delegate=yes',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
}

/**
 * The env file (systemd's EnvironmentFile): DOZEN_DATA_DIR first, then each variable given, in
 * name order, double-quoted with `\` and `"` escaped.
 */
export function serviceEnvFile(dataDir: string, env: Record<string, string>): string {
  const entries = Object.entries({ ...env, DOZEN_DATA_DIR: dataDir }).sort(([a], [b]) => (a === 'DOZEN_DATA_DIR' ? -1 : b === 'DOZEN_DATA_DIR' ? 1 : a.localeCompare(b)));
  const lines = ['# Dozen platform environment (docs/config.md), written by `dozen service:install`.'];
  for (const [name, value] of entries) {
    if (/[\n\r\0]/.test(value)) throw new DozenError('CLI_USAGE', `${name} holds a line break, which a systemd env file cannot carry.`, { hint: `Set ${name} to a single-line value, then run \`dozen service:install\` again.` });
    lines.push(`${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
  }
  return `${lines.join('\n')}\n`;
}

/** The env file as printed: values that may be secrets are not shown. */
export function redactEnvFile(text: string): string {
  return text.replace(/^([A-Z0-9_]*(?:SECRET|TOKEN|PASSWORD|KEY|_URL)[A-Z0-9_]*)=.*$/gm, '$1=(hidden; in the file)');
}

/** A path or name systemd reads as is: absolute where it must be, no spaces or line breaks. */
function checkUnitValue(what: string, value: string): void {
  const mustBeAbsolute = what !== 'user';
  if (/[\s"'\\%$;]/.test(value) || value === '' || (mustBeAbsolute && !value.startsWith('/'))) {
    throw new DozenError('CLI_USAGE', `The ${what} ${JSON.stringify(value)} cannot go into a systemd unit as it is (${mustBeAbsolute ? 'an absolute path ' : 'a name '}without spaces, quotes, \`%\`, \`$\` or \`;\`).`, {
      hint: 'Give another value (e.g. --data-dir /var/lib/dozen), or move the Dozen checkout to a path without spaces.',
    });
  }
}
