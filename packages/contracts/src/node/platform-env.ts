/** Variables of the CLI's own (docs/cli.md): not the platform's, never written into its service env. */
const CLI_ONLY = new Set(['DOZEN_API_URL', 'DOZEN_API_TOKEN', 'DOZEN_PASSWORD']);

/** Variables the platform reads that are not DOZEN_* (docs/config.md). */
const OTHERS = new Set(['PORT', 'DATABASE_URL', 'NODE_EXTRA_CA_CERTS', 'XDG_DATA_HOME']);

/**
 * Whether the platform reads this environment variable (`dozen up`, config.ts): every DOZEN_*
 * but the CLI's own, and the few others docs/config.md lists. `dozen service:install` writes
 * those that are set into the service's env file.
 */
export function isPlatformEnv(name: string): boolean {
  if (CLI_ONLY.has(name)) return false;
  return name.startsWith('DOZEN_') || OTHERS.has(name);
}
