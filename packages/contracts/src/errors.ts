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
  REQUEST_HEAD_TOO_LARGE: { status: 431, hint: 'Send fewer or smaller header fields (large cookies are the usual cause).' },
  REQUEST_TIMEOUT: { status: 408, hint: 'Send the whole request without pausing; the connection was closed.' },
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
  DEPLOY_DIR_INVALID: { status: 400, hint: 'Deploy a directory with the app in it (a package.json, a Procfile, or what its buildpacks need), or --tarball FILE.' },
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
  API_CERT_UNTRUSTED: { status: 502, hint: 'For a private CA, point NODE_EXTRA_CA_CERTS at its root certificate (PEM), and GIT_SSL_CAINFO for git (docs/cli.md, The API over HTTPS); an expired certificate or a wrong name is fixed on the platform (`dozen certs --api` on its host).' },
  API_UNREACHABLE: { status: 503, hint: 'Is the platform running? Start it with `npm start` (or `dozen up`), or point DOZEN_API_URL at it.' },
  CLI_USAGE: { status: 400, hint: 'Run `dozen help COMMAND` for the usage.' },
  EDGE_UNAVAILABLE: { status: 503, hint: 'The edge (router and app processes) is not answering; the platform log and <data dir>/run/edge.log say why. Starting the platform again starts a new edge.' },
  EDGE_PROTOCOL_MISMATCH: { status: 500, hint: 'Stop the running edge and its apps with `dozen down --stop-apps` (apps are down until the start), then start this version; docs/production.md, "Upgrades".' },
  // Dev/prod parity: dozen dev, .env files, the app from the directory (issue 17)
  ENV_FILE_INVALID: { status: 400, hint: 'Fix the line named above: KEY=value, an optional `export `, values in "double" (with \\n escapes) or \'single\' quotes, # for comments. Nothing of the file was used.' },
  APP_NOT_GIVEN: { status: 400, hint: 'Name the app with -a APP, set DOZEN_APP, or add a `dozen` git remote here (`dozen git:remote -a APP`); -r REMOTE picks another remote.' },
  EDITOR_FAILED: { status: 400, hint: 'Set EDITOR (or VISUAL) to an editor that exits 0 after saving, e.g. EDITOR=vi or EDITOR="code --wait".' },
  PLATFORM_CONFIG_INVALID: { status: 500, hint: 'Fix the environment variable named above and start the platform again (docs/config.md lists them).' },
  // Logs and drains (issue 6)
  LOG_QUERY_INVALID: { status: 400, hint: 'Use --since with a duration such as 30s, 10m, 2h or 1d (or an ISO 8601 time), and --process with a type (web) or a process (web.1).' },
  AUDIT_QUERY_INVALID: { status: 400, hint: 'Use --since with a duration such as 30s, 10m, 2h or 1d, or an ISO 8601 time.' },
  METRICS_QUERY_INVALID: { status: 400, hint: 'Use --since with a duration such as 30m, 2h or 1d (or an ISO 8601 time), and --step with whole seconds up to 86400 (rounded up to a multiple of the recording step, 60 by default).' },
  DRAIN_URL_INVALID: { status: 422, hint: 'Use syslog://host:port, syslog+tls://host:port or https://host/path.' },
  DRAIN_URL_FORBIDDEN: { status: 422, hint: 'A drain cannot point at the platform itself, nor at loopback, link-local or cloud metadata addresses; use your log service\'s address.' },
  DRAIN_EXISTS: { status: 409, hint: 'The app already drains to this URL; `dozen drains` lists them.' },
  DRAIN_NOT_FOUND: { status: 404, hint: 'Run `dozen drains` to list the drains of the app (by id or URL).' },
  DRAIN_LIMIT_REACHED: { status: 422, hint: 'An app has at most 5 drains; remove one with `dozen drains:remove`.' },
  // Add-ons (issue 8)
  ADDON_PROVIDER_UNKNOWN: { status: 422, hint: 'Use one of the providers: postgres, redis, url (`dozen addons:create postgres`).' },
  ADDON_PLAN_UNKNOWN: { status: 422, hint: 'Use one of the plans named above, e.g. `dozen addons:create postgres:dev`, or leave the plan out for the default.' },
  ADDON_NOT_FOUND: { status: 404, hint: 'Run `dozen addons -a APP` to list the add-ons and attachment names of the app.' },
  ADDON_ATTACHMENT_NAME_INVALID: { status: 422, hint: 'An attachment name is a config var name: a letter or underscore, then letters, digits or underscores, e.g. --as SMTP_URL (PORT and DOZEN_* are reserved).' },
  ADDON_ATTACHMENT_NAME_TAKEN: { status: 409, hint: 'Pick another name with --as NAME, or free this one first (`dozen config:unset NAME` or `dozen addons:detach NAME`).' },
  ADDON_DESTROY_UNCONFIRMED: { status: 400, hint: 'Destroying an add-on deletes its data. Repeat the app name with --confirm APP.' },
  ADDON_OWNED_ELSEWHERE: { status: 409, hint: 'Destroy the add-on from the app that owns it, or detach it from this one with `dozen addons:detach NAME`.' },
  ADDON_URL_INVALID: { status: 422, hint: 'Give an absolute URL with a scheme, e.g. smtp://user:pass@mail.example.com:587 (no spaces or control characters, at most 2048 bytes).' },
  ADDON_SERVICE_UNAVAILABLE: { status: 503, hint: 'The backing service could not be reached or started; the platform log says why. Check DOZEN_POSTGRES_ADMIN_URL / DOZEN_REDIS_ADMIN_URL, or unset them to use the built-in servers.' },
  ADDON_ADMIN_PRIVILEGES_MISSING: { status: 503, hint: 'Give the admin account in DOZEN_POSTGRES_ADMIN_URL (CREATEDB and CREATEROLE) or DOZEN_REDIS_ADMIN_URL (ACL administration) the privileges named above.' },
  ADDON_PROVISION_FAILED: { status: 502, hint: 'Nothing was left behind; fix the cause named above (disk space, server limits) and create the add-on again.' },
  ADDON_ROTATE_UNSUPPORTED: { status: 422, hint: 'A url add-on holds credentials Dozen did not issue: attach a new URL instead (`dozen addons:attach url URL --as NAME`).' },
  ADDON_SERVER_CHANGED: { status: 409, hint: 'Set the admin URL back to the server this add-on lives on (unset it for the platform\'s own) to manage it; to move the data, create an add-on on the new server, copy the data and attach that one.' },
  ADDON_ROTATE_INCOMPLETE: { status: 422, hint: 'The old credentials no longer work for new connections: fix the apps named above and rotate again (`dozen addons:rotate`), which releases every attached app with the current URL.' },
  ADDON_CLIENT_MISMATCH: { status: 422, hint: 'Use pg:psql for a postgres:// add-on and redis:cli for a redis:// one (`dozen addons -a APP` shows which is which).' },
  ADDON_CLIENT_MISSING: { status: 503, hint: 'Install the client on the platform host: apt-get install postgresql-client (psql) or redis-tools (redis-cli).' },
  CONFIG_VAR_ATTACHED: { status: 409, hint: 'This config var is set by an add-on attachment: detach it first (`dozen addons:detach NAME`), or attach under another name.' },
  // Process runtime (issue 4)
  PROCESS_NOT_FOUND: { status: 404, hint: 'Run `dozen ps` to list the processes of the app.' },
  PROCESS_SETTINGS_INVALID: { status: 422, hint: 'Grace periods are 0-3600 s, boot timeouts 1-3600 s, strategies start-first or stop-first, e.g. `dozen ps:type web --grace 10`.' },
  PROCESS_SIZE_UNKNOWN: { status: 422, hint: 'Pick one of the sizes the message lists, e.g. `dozen ps:resize web=standard-2x`.' },
  PROCESS_SIZE_TOO_LARGE: { status: 422, hint: 'Pick a smaller size (`dozen ps:resize web=standard-1x`) or run the app on a host with more memory.' },
  RUN_OPTIONS_INVALID: { status: 422, hint: 'Give --timeout in whole seconds (1-86400); terminal sizes come from your terminal.' },
  // Router and domains (issue 5)
  DOMAIN_INVALID: { status: 422, hint: 'Give a lowercase host name such as www.example.com, or *.example.com for every subdomain one level down.' },
  DOMAIN_RESERVED: { status: 422, hint: 'Apps are already served at <app>.<DOZEN_DOMAIN>; add a domain outside the platform domain.' },
  DOMAIN_TAKEN: { status: 409, hint: 'Remove the domain from the app that has it (`dozen domains:remove HOSTNAME -a APP`) first.' },
  DOMAIN_NOT_FOUND: { status: 404, hint: 'Run `dozen domains -a APP` to list the domains of the app.' },
  // HTTPS: certificates, redirects, HSTS (issue 14)
  CERT_INVALID: { status: 422, hint: 'Give the certificate chain as PEM (-----BEGIN CERTIFICATE-----), the leaf first, as your CA delivered it.' },
  CERT_KEY_INVALID: { status: 422, hint: 'Give the private key as an unencrypted PEM (-----BEGIN PRIVATE KEY----- or RSA/EC PRIVATE KEY).' },
  CERT_KEY_ENCRYPTED: { status: 422, hint: 'Decrypt the key first (`openssl pkey -in key.pem -out plain.pem`) and upload the plain one; Dozen stores it in its own column.' },
  CERT_KEY_MISMATCH: { status: 422, hint: 'Upload the private key that was made with this certificate\'s signing request.' },
  CERT_CHAIN_ORDER: { status: 422, hint: 'Put the leaf (the certificate for your domain) first, then each intermediate followed by the one that signed it.' },
  CERT_EXPIRED: { status: 422, hint: 'Renew the certificate with your CA and upload the new one.' },
  CERT_NOT_YET_VALID: { status: 422, hint: 'Wait until the certificate\'s start date, or check the clock of the machine that made it.' },
  CERT_DOMAINS_NOT_COVERED: { status: 422, hint: 'Add the domains the certificate is for first (`dozen domains:add NAME -a APP`), or upload a certificate whose names cover the app\'s domains.' },
  CERT_TOO_LARGE: { status: 413, hint: 'A certificate chain or key is at most 1 MB; upload the leaf and its intermediates only.' },
  CERT_NOT_FOUND: { status: 404, hint: 'Run `dozen certs -a APP` to list the app\'s certificates.' },
  CERT_NAME_REQUIRED: { status: 422, hint: 'The app has several certificates: say which with --name NAME (`dozen certs -a APP` lists them).' },
  ACME_NOT_ENABLED: { status: 409, hint: 'Run `dozen certs:auto:enable -a APP` first; the platform needs its HTTPS listener and DOZEN_ACME_DIRECTORY (not off).' },
  API_DOMAIN_NOT_SET: { status: 409, hint: 'Set DOZEN_API_DOMAIN (e.g. api.example.com) and restart the platform; see docs/production.md.' },
  HTTPS_SETTINGS_INVALID: { status: 422, hint: 'Use --mode http or --mode redirect, and --hsts with whole seconds from 0 to 63072000 (two years), or off.' },
  // Builds: buildpacks, runtimes, app.json, release phase (issue 3)
  APP_JSON_INVALID: { status: 422, hint: 'Fix app.json at the place named above (Heroku\'s app.json format) and deploy again; the serving release was not touched.' },
  APP_JSON_ENV_MISSING: { status: 422, hint: 'Set the config vars that app.json requires (`dozen config:set KEY=value`), or give them a "value" in app.json, and deploy again.' },
  BUILDPACK_INVALID: { status: 422, hint: 'Name a built-in buildpack (node, procfile), an absolute path under DOZEN_BUILDPACK_DIRS, or an https:// (or allowed file://) git URL with an optional #ref.' },
  NODE_VERSION_UNAVAILABLE: { status: 422, hint: 'Change engines.node (or .nvmrc / .node-version) to a range that a published Node.js version satisfies, e.g. "22.x".' },
  NPM_VERSION_UNAVAILABLE: { status: 422, hint: 'Change engines.npm to a range that a published npm satisfies (e.g. "10.x"), or remove it to use the npm that comes with the app\'s Node.js.' },
  BUILD_CANCELLED: { status: 409, hint: 'The build was cancelled; deploy again when ready. The serving release was not touched.' },
  BUILD_TIMED_OUT: { status: 422, hint: 'Make the build faster, or raise DOZEN_BUILD_TIMEOUT; the serving release was not touched.' },
  BUILD_FINISHED: { status: 409, hint: 'Only a pending or running build can be cancelled; run `dozen builds` to see their states.' },
  RELEASE_PHASE_FAILED: { status: 422, hint: 'Read the release phase output above, fix the `release` command, and deploy again; the previous release is still serving.' },
  POSTDEPLOY_FAILED: { status: 422, hint: 'The release is serving, but app.json scripts.postdeploy failed: read its output above and run it again with `dozen run`.' },
  // Git push (issue 7)
  GIT_REF_INVALID: { status: 422, hint: 'Use branch and tag names of letters, digits, `.`, `_`, `-` and `/` that do not begin with `-` or `.` and do not contain `..` (e.g. `git push dozen main`).' },
  GIT_PUSH_REJECTED: { status: 422, hint: 'Push one deploy branch at a time and keep it: `dozen git:deploy-branch -a APP` shows which branch deploys.' },
  GIT_PUSH_STALE: { status: 409, hint: 'Another push updated this branch first: `git pull` (or fetch and merge) and push again.' },
  GIT_TREE_UNSUPPORTED: { status: 422, hint: 'Dozen does not fetch submodules and refuses nested .git directories: copy their files into the repository (and remove .gitmodules), commit and push again.' },
  GIT_NOT_A_REPOSITORY: { status: 400, hint: 'Run the command inside a git work tree (`git init`), or use `dozen deploy DIR` without --ref.' },
  GIT_REF_NOT_FOUND: { status: 404, hint: 'Name a branch, tag or commit of the repository (`git log --oneline` lists commits).' },
  GIT_COMMAND_FAILED: { status: 500, hint: 'Read git\'s message above; check that git is installed and that the repository is not damaged.' },
  // Secrets at rest (issue 13)
  SECRET_KEY_INVALID: { status: 500, hint: 'Give DOZEN_SECRET_KEY as base64 of 32 random bytes (`openssl rand -base64 32`), or a comma list NEW,OLD while rotating; unset it to use the key file in the data dir.' },
  SECRET_KEY_MISSING: { status: 500, hint: 'Start with the master key whose id is named above: set DOZEN_SECRET_KEY to it (add it after a new one as NEW,OLD to rotate), or put back the data dir\'s secret-key file. Nothing was changed.' },
  SECRET_KEY_WRONG: { status: 500, hint: 'The key has the right id but does not open the data keys: the store or the key was altered. Restore both from the same backup. Nothing was changed.' },
  SECRET_UNREADABLE: { status: 500, hint: 'A stored secret failed its integrity check (it was altered or moved to another app or name); the platform log has the details. Set the value again with `dozen config:set`.' },
  SECRET_ROTATE_NEEDS_NEW_KEY: { status: 409, hint: 'With DOZEN_SECRET_KEY, rotation re-wraps under the first key of the list: set DOZEN_SECRET_KEY=NEW,OLD, restart the platform, then run `dozen secrets:rotate`.' },
  // Accounts, tokens and access (issue 13)
  PERMISSION_DENIED: { status: 403, hint: 'Ask a manager of the app for the permission (`dozen access -a APP` lists them), or use a token that has it.' },
  LOGIN_FAILED: { status: 401, hint: 'Check the email and the password; a new user first sets a password with `dozen login --setup CODE`.' },
  LOGIN_RATE_LIMITED: { status: 429, hint: 'Too many failed logins from this address; wait for the time named above, then try again.' },
  PASSWORD_WEAK: { status: 422, hint: 'Choose a password of at least 12 characters (a few unrelated words work well).' },
  SETUP_CODE_INVALID: { status: 401, hint: 'Setup codes work once and expire after 24 hours; ask the admin for a new one (`dozen users:add EMAIL` again).' },
  EMAIL_INVALID: { status: 422, hint: 'Give an email address such as ada@example.com.' },
  USER_EXISTS: { status: 409, hint: 'The user is already there; `dozen users` lists them.' },
  USER_NOT_FOUND: { status: 404, hint: 'Run `dozen users` (admin) to list the users; add one with `dozen users:add EMAIL`.' },
  PERMISSION_UNKNOWN: { status: 422, hint: 'Use a comma-separated list of view, deploy, operate, manage (e.g. --permissions deploy,operate).' },
  ACCESS_NOT_FOUND: { status: 404, hint: 'Run `dozen access -a APP` to list who has access to the app.' },
  LAST_MANAGER: { status: 409, hint: 'Give another user the manage permission first (`dozen access:add EMAIL --permissions manage`), or transfer the app.' },
  TOKEN_NOT_FOUND: { status: 404, hint: 'Run `dozen tokens` to list your tokens and their ids.' },
  CSRF_REJECTED: { status: 403, hint: 'Reload the dashboard and try again: a change made with the session cookie needs the page\'s CSRF token (X-CSRF-Token, from GET /session) and must come from the dashboard\'s own origin.' },
  SESSION_LOGIN_INVALID: { status: 400, hint: 'Sign in with an email and a password, or with an API token (the admin\'s is in the data dir), not both.' },
  TOKEN_EXPIRY_INVALID: { status: 422, hint: 'Give a duration such as 30m, 12h or 30d (at most 365d).' },
  // Production on one host: data dir versions, garbage collection, disk, the service (issue 15)
  DATA_DIR_NEWER: { status: 500, hint: 'Run the newer Dozen (or a later one) on this data dir; an older platform does not start on it, and nothing was changed.' },
  SLUG_COLLECTED: { status: 410, hint: 'Roll back to a release inside the rollback window (`dozen releases` marks them), or deploy that code again.' },
  DISK_FULL: { status: 507, hint: 'Free space on the disk named above (`dozen status` shows what the data dir uses), then deploy again; the serving release was not touched.' },
  SERVICE_INSTALL_FAILED: { status: 500, hint: 'Run `dozen service:install` as root to write /etc/systemd/system, or give --unit-file and --environment-file paths you may write (--print only prints).' },
  // Backups and restore (issue 15)
  BACKUP_NOT_FOUND: { status: 404, hint: 'Run `dozen backups` to list the backups and their ids.' },
  BACKUP_IN_PROGRESS: { status: 409, hint: 'One backup runs at a time; wait for it to finish (`dozen backups` lists it when done) and try again.' },
  BACKUP_FAILED: { status: 507, hint: 'No archive was kept and nothing else was changed; fix the cause named above (free disk space in the data dir, a stopped add-on server) and run `dozen backups:create` again.' },
  BACKUP_ARCHIVE_INVALID: { status: 422, hint: 'Use another archive (`dozen backups` on the old platform, or an earlier download); this one is corrupt, cut short or not a Dozen backup.' },
  RESTORE_TARGET_NOT_EMPTY: { status: 409, hint: 'Restore onto an empty data dir: point DOZEN_DATA_DIR at a new directory, with the platform stopped.' },
  BACKUP_RESTORE_UNCONFIRMED: { status: 400, hint: 'Restoring replaces the add-on\'s data. Repeat the app name with --confirm APP.' },
  RESTORE_FAILED: { status: 500, hint: 'Fix the cause named above and run the same `dozen backups:restore` again: it starts over from the archive.' },
  // Twelve-factor scorecard (issue 18)
  SCORECARD_REQUIRED_FAILED: { status: 422, hint: 'Fix what the evidence names and deploy again, or change the policy with `dozen scorecard:require`.' },
  SCORECARD_CHECK_UNKNOWN: { status: 422, hint: 'Give factors (I to XII, e.g. `III,XI`) or check ids (`III.no-secrets-in-source`); docs/scorecard.md lists them.' },
  // Scheduled jobs and maintenance mode (issue 17)
  CRON_SCHEDULE_INVALID: { status: 422, hint: 'Give 5 fields `minute hour day-of-month month day-of-week` in UTC (e.g. "*/10 * * * *", "0 3 * * mon-fri") or @hourly, @daily, @weekly, @monthly, @yearly.' },
  CRON_JOB_NOT_FOUND: { status: 404, hint: 'Run `dozen cron` to list the app\'s scheduled jobs and their ids.' },
  CRON_JOB_READ_ONLY: { status: 409, hint: 'This job comes from app.json `cron`: change app.json and deploy; `dozen cron:add` jobs can be removed here.' },
  CRON_LIMIT_REACHED: { status: 422, hint: 'An app has at most 50 scheduled jobs; remove one with `dozen cron:remove ID`.' },
  // Pipelines, promotion and review apps (issue 17)
  PIPELINE_NAME_INVALID: { status: 422, hint: 'Use 2-19 characters: a lowercase letter first, then lowercase letters, digits or dashes (^[a-z][a-z0-9-]{1,18}$); review apps are named <pipeline>-pr-<branch> within 30.' },
  PIPELINE_NAME_TAKEN: { status: 409, hint: 'Pick another name, or add apps to the existing pipeline (`dozen pipelines:add PIPELINE -a APP --stage STAGE`).' },
  PIPELINE_NOT_FOUND: { status: 404, hint: 'Run `dozen pipelines` to list the pipelines, or create one with `dozen pipelines:create NAME`.' },
  PIPELINE_STAGE_INVALID: { status: 422, hint: 'The stages are development, staging and production.' },
  PIPELINE_APP_TAKEN: { status: 409, hint: 'An app is in at most one pipeline: take it out of the other first (`dozen pipelines:remove -a APP`).' },
  PIPELINE_APP_NOT_IN: { status: 404, hint: 'Add the app to a pipeline first (`dozen pipelines:add PIPELINE -a APP --stage STAGE`); `dozen pipelines:info PIPELINE` lists its apps.' },
  PROMOTE_TARGET_INVALID: { status: 422, hint: 'Promote to apps of a later stage of the same pipeline (see `dozen pipelines:info PIPELINE`).' },
  PROMOTE_NO_RELEASE: { status: 409, hint: 'Deploy the source app first (`dozen deploy` or `git push`), then promote it.' },
  PROMOTE_STACK_MISMATCH: { status: 422, hint: 'Build the code on the target instead (deploy it there), or promote a slug built for the target\'s stack.' },
  REVIEW_APPS_DISABLED: { status: 409, hint: 'Enable them first: `dozen review-apps:enable -p PIPELINE`.' },
  REVIEW_APPS_NO_REPOSITORY: { status: 409, hint: 'Review apps come from pushes to the repository of the pipeline\'s staging app (else its development app): add one (`dozen pipelines:add PIPELINE -a APP --stage staging`).' },
  REVIEW_BRANCH_INVALID: { status: 422, hint: 'Push the branch under a name with letters or digits (it becomes part of the app name: lower case, other characters mapped to -).' },
  // The control plane's store on PostgreSQL (issue 19)
  STORE_UNREACHABLE: { status: 500, hint: 'Check that the PostgreSQL server of DATABASE_URL runs and that the URL (host, port, database, user, password) is right, then start again; nothing was changed.' },
  BACKUP_STORE_EXTERNAL: { status: 409, hint: 'Back up the PostgreSQL store with its own tools (pg_dump, or the managed service\'s snapshots) and the data dir with a file copy; docs/scale-out.md says how.' },
  // The Kubernetes runtime (issue 19 part B)
  SLUG_NOT_FOUND: { status: 404, hint: 'Fetch a slug with the token of its release\'s `<app>-v<N>-slug-<hash>` Secret: a slug token opens that one slug only, and any other token none.' },
  KUBERNETES_API_FAILED: { status: 502, hint: 'Check that the cluster named by KUBECONFIG is reachable and that its credentials may manage Deployments, Services, Ingresses, Secrets, Jobs and Pods in DOZEN_KUBE_NAMESPACE.' },
  // issue 19 roles (srv19)
  ROLE_UNKNOWN: { status: 400, hint: 'Run one of `dozen serve api`, `dozen serve router`, `dozen serve builder` or `dozen serve runtime` (docs/scale-out.md), or `dozen up` for all of them in one process.' },
  // issue 19 roles (bq19)
  ARTEFACT_DIGEST_MISMATCH: { status: 422, hint: 'The artefact was altered or cut short on its way: nothing was kept. Send (or fetch) it again; if it keeps failing, check what stands between the roles and the api (a proxy rewriting bodies).' },
  ARTEFACT_NOT_FOUND: { status: 404, hint: 'The artefact is not in the store (never stored, or removed): build again to make it.' },
  CLUSTER_API_UNREACHABLE: { status: 503, hint: 'Check DOZEN_API_URLS: at least one api process must be running and reachable from this role.' },
  ROLE_NOT_AVAILABLE: { status: 409, hint: 'This is not available when the roles run as separate processes (`dozen serve`); see docs/scale-out.md.' },
  // issue 19 roles (rt19)
  RUNTIME_UNREACHABLE: { status: 503, hint: 'Check that a runtime role runs (`dozen serve runtime`), that its relay (DOZEN_RELAY_PORT) can be reached from this api, and that both have the same DOZEN_CLUSTER_TOKEN; the runtime role\'s log says which process leads.' },
  // issue 19 roles (fixb)
  ARTEFACT_TOO_LARGE: { status: 413, hint: 'An artefact (a source or a slug) is at most the larger of DOZEN_UPLOAD_MAX_MB and DOZEN_SOURCE_MAX_MB: make the app smaller (.dozenignore, fewer dependencies) or raise those limits on the api.' },
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
