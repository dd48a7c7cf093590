import { Command, CommanderError } from 'commander';
import { DozenError, DOZEN_VERSION } from '@dozen/contracts';
import type { Registrar } from './command-kit.js';
import type { CliContext } from './context.js';
import { registerAppsCreate } from './commands/apps/create.js';
import { registerAppsDestroy } from './commands/apps/destroy.js';
import { registerAppsInfo } from './commands/apps/info.js';
import { registerAppsList } from './commands/apps/list.js';
import { registerBuildsList } from './commands/builds/list.js';
import { registerConfigGet } from './commands/config/get.js';
import { registerConfigList } from './commands/config/list.js';
import { registerConfigSet } from './commands/config/set.js';
import { registerConfigUnset } from './commands/config/unset.js';
import { registerDeploy } from './commands/deploy.js';
import { registerLogin } from './commands/login.js';
import { registerLogs } from './commands/logs.js';
import { registerOpen } from './commands/open.js';
import { registerPsList } from './commands/ps/list.js';
import { registerPsRestart } from './commands/ps/restart.js';
import { registerPsScale } from './commands/ps/scale.js';
import { registerPsStop } from './commands/ps/stop.js';
import { registerPsType } from './commands/ps/type.js';
import { registerReleasesList } from './commands/releases/list.js';
import { registerRollback } from './commands/releases/rollback.js';
import { registerRun } from './commands/run.js';
import { registerUp } from './commands/up.js';
import { registerVersion } from './commands/version.js';
import { registerDrainsAdd } from './commands/drains/add.js';
import { registerDrainsList } from './commands/drains/list.js';
import { registerDrainsRemove } from './commands/drains/remove.js';
import { registerAddonsAttach } from './commands/addons/attach.js';
import { registerAddonsCreate } from './commands/addons/create.js';
import { registerAddonsDestroy } from './commands/addons/destroy.js';
import { registerAddonsDetach } from './commands/addons/detach.js';
import { registerAddonsInfo } from './commands/addons/info.js';
import { registerAddonsList } from './commands/addons/list.js';
import { registerAddonsRotate } from './commands/addons/rotate.js';
import { registerPgPsql } from './commands/pg/psql.js';
import { registerRedisCli } from './commands/redis/cli.js';
import { registerDomainsAdd } from './commands/domains/add.js';
import { registerDomainsList } from './commands/domains/list.js';
import { registerDomainsRemove } from './commands/domains/remove.js';
import { registerBuildsCachePurge } from './commands/builds/cache-purge.js';
import { registerBuildsCancel } from './commands/builds/cancel.js';
import { registerBuildsInfo } from './commands/builds/info.js';
import { registerBuildsOutput } from './commands/builds/output.js';
import { registerBuildpacksAdd } from './commands/buildpacks/add.js';
import { registerBuildpacksClear } from './commands/buildpacks/clear.js';
import { registerBuildpacksList } from './commands/buildpacks/list.js';
import { registerBuildpacksSet } from './commands/buildpacks/set.js';
import { registerGitCredential } from './commands/git/credential.js';
import { registerGitDeployBranch } from './commands/git/deploy-branch.js';
import { registerGitRemote } from './commands/git/remote.js';

const registrars: Registrar[] = [
  registerUp,
  registerAppsList,
  registerAppsCreate,
  registerAppsInfo,
  registerAppsDestroy,
  registerDeploy,
  registerBuildsList,
  registerReleasesList,
  registerRollback,
  registerConfigList,
  registerConfigSet,
  registerConfigUnset,
  registerConfigGet,
  registerPsList,
  registerPsScale,
  registerPsRestart,
  registerLogs,
  registerRun,
  registerOpen,
  registerLogin,
  registerVersion,
  registerDrainsList,
  registerDrainsAdd,
  registerDrainsRemove,
  // Add-ons (issue 8)
  registerAddonsList,
  registerAddonsCreate,
  registerAddonsInfo,
  registerAddonsDestroy,
  registerAddonsAttach,
  registerAddonsDetach,
  registerAddonsRotate,
  registerPgPsql,
  registerRedisCli,
  registerPsStop,
  registerPsType,
  registerDomainsList,
  registerDomainsAdd,
  registerDomainsRemove,
  registerBuildsInfo,
  registerBuildsOutput,
  registerBuildsCancel,
  registerBuildsCachePurge,
  registerBuildpacksList,
  registerBuildpacksSet,
  registerBuildpacksAdd,
  registerBuildpacksClear,
  registerGitRemote,
  registerGitCredential,
  registerGitDeployBranch,
];

export function buildProgram(context: CliContext): Command {
  const program = new Command('dozen')
    .description('Dozen: build, release and run twelve-factor apps')
    .version(DOZEN_VERSION, '-v, --version')
    .option('--verbose', 'print stack traces with errors')
    .enablePositionalOptions()
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined });
  for (const register of registrars) register(program, context);
  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => undefined });
  return program;
}

/**
 * Commander's own usage errors become CLI_USAGE errors; help and version are not errors. Commander
 * prints the help on stderr when no command (or `help` of an unknown one) was given: `args` (the
 * words after `dozen`) name which, for the message.
 */
export function toUsageError(error: unknown, args: readonly string[] = []): DozenError | null {
  if (!(error instanceof CommanderError)) return null;
  if (error.exitCode === 0) return null;
  const hint = 'Run `dozen help` for the commands, or `dozen help COMMAND` for one.';
  if (error.code === 'commander.help') {
    const operands = args.filter((arg) => !arg.startsWith('-'));
    const message = operands[0] === 'help' && operands[1] ? `unknown command '${operands[1]}'` : 'no command given';
    return new DozenError('CLI_USAGE', message, { hint });
  }
  return new DozenError('CLI_USAGE', error.message.replace(/^error: /, ''), { hint });
}
