import { Command, CommanderError } from 'commander';
import { DozenError } from '@dozen/contracts/errors';
import { DOZEN_VERSION } from '@dozen/contracts/version';
import { appFromDirectory, type Registrar } from './command-kit.js';
import type { CliContext } from './context.js';

type Load = () => Promise<Registrar>;

/**
 * Every command, grouped by noun as `dozen help` shows them. A command's module (and what it
 * imports) is loaded only when that command runs, or for the help that lists them all: `dozen
 * --version` loads none, `dozen run` loads run.ts only.
 */
const nouns: Array<[heading: string, commands: Record<string, Load>]> = [
  ['Apps', {
    'apps': () => import('./commands/apps/list.js').then((m) => m.registerAppsList),
    'apps:create': () => import('./commands/apps/create.js').then((m) => m.registerAppsCreate),
    'apps:info': () => import('./commands/apps/info.js').then((m) => m.registerAppsInfo),
    'apps:destroy': () => import('./commands/apps/destroy.js').then((m) => m.registerAppsDestroy),
    'apps:transfer': () => import('./commands/apps/transfer.js').then((m) => m.registerAppsTransfer),
    'open': () => import('./commands/open.js').then((m) => m.registerOpen),
  }],
  ['Twelve-factor scorecard', {
    'apps:score': () => import('./commands/scorecard/score.js').then((m) => m.registerAppsScore),
    'scorecard': () => import('./commands/scorecard/policy.js').then((m) => m.registerScorecard),
    'scorecard:require': () => import('./commands/scorecard/policy.js').then((m) => m.registerScorecardRequire),
  }],
  ['Config vars', {
    'config': () => import('./commands/config/list.js').then((m) => m.registerConfigList),
    'config:get': () => import('./commands/config/get.js').then((m) => m.registerConfigGet),
    'config:set': () => import('./commands/config/set.js').then((m) => m.registerConfigSet),
    'config:unset': () => import('./commands/config/unset.js').then((m) => m.registerConfigUnset),
    'config:pull': () => import('./commands/config/pull.js').then((m) => m.registerConfigPull),
    'config:push': () => import('./commands/config/push.js').then((m) => m.registerConfigPush),
    'config:edit': () => import('./commands/config/edit.js').then((m) => m.registerConfigEdit),
  }],
  ['Processes', {
    'ps': () => import('./commands/ps/list.js').then((m) => m.registerPsList),
    'ps:scale': () => import('./commands/ps/scale.js').then((m) => m.registerPsScale),
    'ps:restart': () => import('./commands/ps/restart.js').then((m) => m.registerPsRestart),
    'ps:stop': () => import('./commands/ps/stop.js').then((m) => m.registerPsStop),
    'ps:type': () => import('./commands/ps/type.js').then((m) => m.registerPsType),
    'ps:resize': () => import('./commands/ps/resize.js').then((m) => m.registerPsResize),
  }],
  ['One-off processes', {
    'run': () => import('./commands/run.js').then((m) => m.registerRun),
  }],
  ['Deploys and builds', {
    'deploy': () => import('./commands/deploy.js').then((m) => m.registerDeploy),
    'builds': () => import('./commands/builds/list.js').then((m) => m.registerBuildsList),
    'builds:info': () => import('./commands/builds/info.js').then((m) => m.registerBuildsInfo),
    'builds:output': () => import('./commands/builds/output.js').then((m) => m.registerBuildsOutput),
    'builds:cancel': () => import('./commands/builds/cancel.js').then((m) => m.registerBuildsCancel),
    'builds:cache:purge': () => import('./commands/builds/cache-purge.js').then((m) => m.registerBuildsCachePurge),
  }],
  ['Buildpacks', {
    'buildpacks': () => import('./commands/buildpacks/list.js').then((m) => m.registerBuildpacksList),
    'buildpacks:set': () => import('./commands/buildpacks/set.js').then((m) => m.registerBuildpacksSet),
    'buildpacks:add': () => import('./commands/buildpacks/add.js').then((m) => m.registerBuildpacksAdd),
    'buildpacks:clear': () => import('./commands/buildpacks/clear.js').then((m) => m.registerBuildpacksClear),
  }],
  ['Releases', {
    'releases': () => import('./commands/releases/list.js').then((m) => m.registerReleasesList),
    'releases:diff': () => import('./commands/releases/diff.js').then((m) => m.registerReleasesDiff),
    'rollback': () => import('./commands/releases/rollback.js').then((m) => m.registerRollback),
  }],
  ['Pipelines and review apps', {
    'pipelines': () => import('./commands/pipelines/manage.js').then((m) => m.registerPipelinesList),
    'pipelines:create': () => import('./commands/pipelines/manage.js').then((m) => m.registerPipelinesCreate),
    'pipelines:info': () => import('./commands/pipelines/manage.js').then((m) => m.registerPipelinesInfo),
    'pipelines:destroy': () => import('./commands/pipelines/manage.js').then((m) => m.registerPipelinesDestroy),
    'pipelines:add': () => import('./commands/pipelines/members.js').then((m) => m.registerPipelinesAdd),
    'pipelines:remove': () => import('./commands/pipelines/members.js').then((m) => m.registerPipelinesRemove),
    'pipelines:promote': () => import('./commands/pipelines/promote.js').then((m) => m.registerPipelinesPromote),
    'review-apps': () => import('./commands/review-apps/settings.js').then((m) => m.registerReviewAppsList),
    'review-apps:enable': () => import('./commands/review-apps/settings.js').then((m) => m.registerReviewAppsEnable),
    'review-apps:disable': () => import('./commands/review-apps/settings.js').then((m) => m.registerReviewAppsDisable),
    'review-apps:config': () => import('./commands/review-apps/settings.js').then((m) => m.registerReviewAppsConfig),
  }],
  ['Add-ons', {
    'addons': () => import('./commands/addons/list.js').then((m) => m.registerAddonsList),
    'addons:create': () => import('./commands/addons/create.js').then((m) => m.registerAddonsCreate),
    'addons:info': () => import('./commands/addons/info.js').then((m) => m.registerAddonsInfo),
    'addons:attach': () => import('./commands/addons/attach.js').then((m) => m.registerAddonsAttach),
    'addons:detach': () => import('./commands/addons/detach.js').then((m) => m.registerAddonsDetach),
    'addons:rotate': () => import('./commands/addons/rotate.js').then((m) => m.registerAddonsRotate),
    'addons:destroy': () => import('./commands/addons/destroy.js').then((m) => m.registerAddonsDestroy),
    'pg:psql': () => import('./commands/pg/psql.js').then((m) => m.registerPgPsql),
    'pg:backups': () => import('./commands/pg/backups.js').then((m) => m.registerPgBackups),
    'pg:backups:capture': () => import('./commands/pg/backups-capture.js').then((m) => m.registerPgBackupsCapture),
    'pg:backups:restore': () => import('./commands/pg/backups-restore.js').then((m) => m.registerPgBackupsRestore),
    'pg:backups:download': () => import('./commands/pg/backups-download.js').then((m) => m.registerPgBackupsDownload),
    'redis:cli': () => import('./commands/redis/cli.js').then((m) => m.registerRedisCli),
  }],
  ['Backups', {
    'backups': () => import('./commands/backups/list.js').then((m) => m.registerBackupsList),
    'backups:create': () => import('./commands/backups/create.js').then((m) => m.registerBackupsCreate),
    'backups:download': () => import('./commands/backups/download.js').then((m) => m.registerBackupsDownload),
    'backups:restore': () => import('./commands/backups/restore.js').then((m) => m.registerBackupsRestore),
  }],
  ['Domains', {
    'domains': () => import('./commands/domains/list.js').then((m) => m.registerDomainsList),
    'domains:add': () => import('./commands/domains/add.js').then((m) => m.registerDomainsAdd),
    'domains:remove': () => import('./commands/domains/remove.js').then((m) => m.registerDomainsRemove),
  }],
  ['HTTPS', {
    'certs': () => import('./commands/certs/list.js').then((m) => m.registerCertsList),
    'certs:add': () => import('./commands/certs/add.js').then((m) => m.registerCertsAdd),
    'certs:info': () => import('./commands/certs/info.js').then((m) => m.registerCertsInfo),
    'certs:update': () => import('./commands/certs/update.js').then((m) => m.registerCertsUpdate),
    'certs:remove': () => import('./commands/certs/remove.js').then((m) => m.registerCertsRemove),
    'certs:auto': () => import('./commands/certs/auto.js').then((m) => m.registerCertsAuto),
    'certs:auto:enable': () => import('./commands/certs/auto.js').then((m) => m.registerCertsAutoEnable),
    'certs:auto:disable': () => import('./commands/certs/auto.js').then((m) => m.registerCertsAutoDisable),
    'certs:auto:refresh': () => import('./commands/certs/auto.js').then((m) => m.registerCertsAutoRefresh),
    'https': () => import('./commands/https/show.js').then((m) => m.registerHttpsShow),
    'https:set': () => import('./commands/https/set.js').then((m) => m.registerHttpsSet),
  }],
  ['Logs and drains', {
    'logs': () => import('./commands/logs.js').then((m) => m.registerLogs),
    'drains': () => import('./commands/drains/list.js').then((m) => m.registerDrainsList),
    'drains:add': () => import('./commands/drains/add.js').then((m) => m.registerDrainsAdd),
    'drains:remove': () => import('./commands/drains/remove.js').then((m) => m.registerDrainsRemove),
  }],
  ['Scheduled jobs and maintenance', {
    'cron': () => import('./commands/cron/list.js').then((m) => m.registerCronList),
    'cron:add': () => import('./commands/cron/add.js').then((m) => m.registerCronAdd),
    'cron:remove': () => import('./commands/cron/remove.js').then((m) => m.registerCronRemove),
    'cron:runs': () => import('./commands/cron/runs.js').then((m) => m.registerCronRuns),
    'cron:trigger': () => import('./commands/cron/trigger.js').then((m) => m.registerCronTrigger),
    'maintenance': () => import('./commands/maintenance/maintenance.js').then((m) => m.registerMaintenance),
    'maintenance:on': () => import('./commands/maintenance/maintenance.js').then((m) => m.registerMaintenanceOn),
    'maintenance:off': () => import('./commands/maintenance/maintenance.js').then((m) => m.registerMaintenanceOff),
  }],
  ['Metrics', {
    'metrics': () => import('./commands/metrics/show.js').then((m) => m.registerMetrics),
  }],
  ['Audit', {
    'audit': () => import('./commands/audit/list.js').then((m) => m.registerAudit),
  }],
  ['Secrets', {
    'secrets:rotate': () => import('./commands/secrets/rotate.js').then((m) => m.registerSecretsRotate),
  }],
  ['Git', {
    'git:remote': () => import('./commands/git/remote.js').then((m) => m.registerGitRemote),
    'git:deploy-branch': () => import('./commands/git/deploy-branch.js').then((m) => m.registerGitDeployBranch),
    'git:credential': () => import('./commands/git/credential.js').then((m) => m.registerGitCredential),
  }],
  ['Access', {
    'access': () => import('./commands/access/list.js').then((m) => m.registerAccessList),
    'access:add': () => import('./commands/access/grant.js').then((m) => m.registerAccessAdd),
    'access:update': () => import('./commands/access/grant.js').then((m) => m.registerAccessUpdate),
    'access:remove': () => import('./commands/access/remove.js').then((m) => m.registerAccessRemove),
  }],
  ['Accounts and tokens', {
    'login': () => import('./commands/login.js').then((m) => m.registerLogin),
    'logout': () => import('./commands/logout.js').then((m) => m.registerLogout),
    'whoami': () => import('./commands/whoami.js').then((m) => m.registerWhoami),
    'users': () => import('./commands/users/list.js').then((m) => m.registerUsersList),
    'users:add': () => import('./commands/users/add.js').then((m) => m.registerUsersAdd),
    'users:remove': () => import('./commands/users/remove.js').then((m) => m.registerUsersRemove),
    'tokens': () => import('./commands/tokens/list.js').then((m) => m.registerTokensList),
    'tokens:create': () => import('./commands/tokens/create.js').then((m) => m.registerTokensCreate),
    'tokens:revoke': () => import('./commands/tokens/revoke.js').then((m) => m.registerTokensRevoke),
  }],
  ['Local development', {
    'dev': () => import('./commands/dev/dev.js').then((m) => m.registerDev),
    'dev:run': () => import('./commands/dev/dev-run.js').then((m) => m.registerDevRun),
  }],
  ['Shell completion', {
    'completion': () => import('./commands/completion/completion.js').then((m) => m.registerCompletion(commandNames())),
    'completion:apps': () => import('./commands/completion/completion.js').then((m) => m.registerCompletionApps),
  }],
  ['Platform', {
    'up': () => import('./commands/up.js').then((m) => m.registerUp),
    'serve': () => import('./commands/serve.js').then((m) => m.registerServe),
    'down': () => import('./commands/platform/down.js').then((m) => m.registerDown),
    'status': () => import('./commands/status.js').then((m) => m.registerStatus),
    'service:install': () => import('./commands/service/install.js').then((m) => m.registerServiceInstall),
    'version': () => import('./commands/version.js').then((m) => m.registerVersion),
  }],
];

/** Every command's name, as `dozen completion` writes them into its scripts. */
export function commandNames(): string[] {
  return [...nouns.flatMap(([, commands]) => Object.keys(commands)), 'help'];
}

/** The command the words after `dozen` name: the first that is not an option (root options come first). */
function commandNamed(args: readonly string[]): string | undefined {
  return args.find((arg) => !arg.startsWith('-'));
}

/**
 * The program with the commands `args` (the words after `dozen`) need: the one named, or all of
 * them (help, no command, an unknown one) so that commander's help and errors see every command.
 */
export async function buildProgram(context: CliContext, args?: readonly string[]): Promise<Command> {
  const program = new Command('dozen')
    .description('Dozen: build, release and run twelve-factor apps')
    .version(DOZEN_VERSION, '-v, --version')
    .option('--verbose', 'print stack traces with errors')
    .enablePositionalOptions()
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .hook('preAction', appFromDirectory(context));
  const name = args === undefined ? undefined : commandNamed(args);
  const only = name === undefined ? undefined : nouns.map(([, commands]) => commands[name]).find((load) => load !== undefined);
  const versionOnly = name === undefined && args !== undefined && args.some((arg) => arg === '-v' || arg === '--version');
  if (only) (await only())(program, context);
  else if (!versionOnly) await registerAll(program, context);
  for (const command of program.commands) command.exitOverride().configureOutput({ outputError: () => undefined });
  return program;
}

async function registerAll(program: Command, context: CliContext): Promise<void> {
  for (const [heading, commands] of nouns) {
    program.commandsGroup(`${heading}:`);
    for (const register of await Promise.all(Object.values(commands).map((load) => load()))) register(program, context);
  }
  // In the last group, Platform, rather than a group of its own.
  program.helpCommand('help [command]', 'display help for a command');
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
