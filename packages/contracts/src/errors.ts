/**
 * The one error catalogue. Every failure that crosses a boundary (API answer, CLI exit, build
 * status) carries one of these codes. The HTTP status and the default hint live here so that the
 * platform, the CLI and the docs cannot drift apart; the message is written where the error is
 * raised, because only there is the offending value known.
 */
export const errorCatalogue = {
  // Requests and auth
  UNAUTHORIZED: { status: 401, hint: 'Set DOZEN_API_TOKEN, or run `dozen login` (on the platform host the CLI reads the admin token from the data dir).' },
  INVALID_REQUEST: { status: 400, hint: 'Check the request against the API reference in docs/api.md.' },
  ROUTE_NOT_FOUND: { status: 404, hint: 'Check the URL; `dozen help` lists what the API offers.' },
  PAYLOAD_TOO_LARGE: { status: 413, hint: 'Send less data, or raise the platform limit.' },
  INTERNAL: { status: 500, hint: 'This is a bug in Dozen. The platform log has the details under the request id.' },
  // Apps
  APP_NAME_INVALID: { status: 422, hint: 'Use 2-30 characters: a lowercase letter first, then lowercase letters, digits or dashes (^[a-z][a-z0-9-]{1,29}$).' },
  APP_NAME_TAKEN: { status: 409, hint: 'Pick another name, or deploy to the existing app.' },
  APP_NOT_FOUND: { status: 404, hint: 'Run `dozen apps` to list the apps, or create it with `dozen apps:create NAME`.' },
  APP_DESTROY_UNCONFIRMED: { status: 400, hint: 'Repeat the app name with --confirm NAME to destroy it.' },
  // Config vars
  CONFIG_KEY_INVALID: { status: 422, hint: 'Config keys start with a letter or underscore, followed by letters, digits or underscores (^[A-Za-z_][A-Za-z0-9_]*$).' },
  CONFIG_KEY_RESERVED: { status: 422, hint: 'PORT and DOZEN_* are set by the platform for every process; choose another name.' },
  CONFIG_VALUE_INVALID: { status: 422, hint: 'Config values cannot contain NUL bytes.' },
  CONFIG_TOO_LARGE: { status: 422, hint: 'Config vars are limited to 32 KB in total (keys and values); move large data to a file or a backing service.' },
  CONFIG_VAR_NOT_SET: { status: 404, hint: 'Run `dozen config` to list the config vars that are set.' },
  // Builds and source
  SOURCE_INVALID: { status: 400, hint: 'Send a gzipped tar archive of the app directory; `dozen deploy DIR` makes one for you.' },
  SOURCE_TOO_LARGE: { status: 413, hint: 'Leave build output and dependencies out of the upload (.dozenignore), or raise the limit.' },
  DEPLOY_DIR_INVALID: { status: 400, hint: 'Deploy a directory that has a package.json or a Procfile.' },
  BUILD_DETECT_FAILED: { status: 422, hint: 'Add a package.json (Node.js) or a Procfile to the app directory.' },
  BUILD_FAILED: { status: 422, hint: 'Read the build output above, fix the app, and deploy again; the serving release was not touched.' },
  BUILD_NOT_FOUND: { status: 404, hint: 'Run `dozen builds` to list the builds of the app.' },
  PROCFILE_INVALID: { status: 422, hint: 'Each Procfile line is `type: command`, with a type of letters, digits, dashes or underscores.' },
  // Releases and processes
  NO_RELEASE: { status: 409, hint: 'Deploy the app first: `dozen deploy DIR`.' },
  RELEASE_NOT_FOUND: { status: 404, hint: 'Run `dozen releases` to list the releases of the app.' },
  RELEASE_BOOT_FAILED: { status: 422, hint: 'Read the process output above, fix the app, and deploy again; the previous release is still serving.' },
  RELEASE_SUPERSEDED: { status: 409, hint: 'Another release of the app started while this one was rolling out; run `dozen releases` to see which one is current.' },
  PROCESS_TYPE_UNKNOWN: { status: 422, hint: 'Scale one of the process types that the current release declares (see `dozen ps`).' },
  FORMATION_INVALID: { status: 422, hint: 'Give each process type a whole number from 0 up to the per-app limit, e.g. `dozen ps:scale web=2`.' },
  RUN_COMMAND_INVALID: { status: 422, hint: 'Give the command after `--`, e.g. `dozen run -- node -e "console.log(1)"`.' },
  // CLI-side
  API_UNREACHABLE: { status: 503, hint: 'Is the platform running? Start it with `npm start` (or `dozen up`), or point DOZEN_API_URL at it.' },
  CLI_USAGE: { status: 400, hint: 'Run `dozen help COMMAND` for the usage.' },
  PLATFORM_CONFIG_INVALID: { status: 500, hint: 'Fix the environment variable named above and start the platform again (docs/config.md lists them).' },
  // Git push (issue 7)
  GIT_REF_INVALID: { status: 422, hint: 'Use branch and tag names of letters, digits, `.`, `_`, `-` and `/` that do not begin with `-` or `.` and do not contain `..` (e.g. `git push dozen main`).' },
  GIT_PUSH_REJECTED: { status: 422, hint: 'Push one deploy branch at a time and keep it: `dozen git:deploy-branch -a APP` shows which branch deploys.' },
  GIT_PUSH_STALE: { status: 409, hint: 'Another push updated this branch first: `git pull` (or fetch and merge) and push again.' },
  GIT_TREE_UNSUPPORTED: { status: 422, hint: 'Dozen does not fetch submodules and refuses nested .git directories: copy their files into the repository (and remove .gitmodules), commit and push again.' },
  GIT_NOT_A_REPOSITORY: { status: 400, hint: 'Run the command inside a git work tree (`git init`), or use `dozen deploy DIR` without --ref.' },
  GIT_REF_NOT_FOUND: { status: 404, hint: 'Name a branch, tag or commit of the repository (`git log --oneline` lists commits).' },
  GIT_COMMAND_FAILED: { status: 500, hint: 'Read git\'s message above; check that git is installed and that the repository is not damaged.' },
} as const satisfies Record<string, { status: number; hint: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

export interface ErrorBody {
  error: { code: ErrorCode; message: string; hint: string; requestId?: string; details?: unknown };
}

/** A failure with a stable code. Thrown by the core, mapped to HTTP by the API, printed by the CLI. */
export class DozenError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, options: { hint?: string; details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DozenError';
    this.code = code;
    this.hint = options.hint ?? errorCatalogue[code].hint;
    this.details = options.details;
  }

  get status(): number {
    return errorCatalogue[this.code].status;
  }

  toBody(requestId?: string): ErrorBody {
    const error: ErrorBody['error'] = { code: this.code, message: this.message, hint: this.hint };
    if (requestId !== undefined) error.requestId = requestId;
    if (this.details !== undefined) error.details = this.details;
    return { error };
  }
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(errorCatalogue, value);
}
