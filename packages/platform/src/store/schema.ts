import type { Generated } from 'kysely';

/** Table shapes as the database holds them (JSON columns are text). */
export interface AppsTable {
  id: string;
  name: string;
  created_at: string;
  current_release: number | null;
  deploy_branch: string | null;
  /** null: the platform admin. */
  owner_id: string | null;
  /** JSON string[]: the checks deploys must pass (`scorecard:require`); null: none. */
  scorecard_required: string | null;
  /** 1: maintenance mode (the router answers 503, H80). */
  maintenance: Generated<number>;
}

export interface BuildsTable {
  id: string;
  app_id: string;
  status: string;
  buildpack: string | null;
  slug_id: string | null;
  release: number | null;
  error: string | null;
  output: string | null;
  created_at: string;
  finished_at: string | null;
  /** JSON: BuildPhase[]. */
  phases: string | null;
  /** JSON: string[]. */
  warnings: string | null;
  commit: string | null;
  /** JSON CheckResult[]: the static scorecard checks of the build; null: not scored. */
  checks: string | null;
}

export interface SlugsTable {
  id: string;
  app_id: string;
  build_id: string;
  process_types: string;
  buildpack: string;
  size_bytes: number;
  /** JSON: SlugRuntime. */
  runtime: string;
  created_at: string;
  digest: string | null;
  /** JSON: AppManifest. */
  manifest: string;
  /** When garbage collection removed the slug's files (null: they are kept). */
  collected_at: string | null;
}

export interface AppBuildpacksTable {
  app_id: string;
  position: number;
  url: string;
}

export interface ReleasesTable {
  id: string;
  app_id: string;
  version: number;
  slug_id: string | null;
  build_id: string | null;
  config: string;
  description: string;
  status: string;
  failure: string | null;
  created_at: string;
  /** JSON: string[], the config keys set by add-on attachments. */
  addon_vars: string;
  commit: string | null;
}

export interface FormationTable {
  app_id: string;
  type: string;
  quantity: number;
}

export interface DomainsTable {
  id: string;
  app_id: string;
  hostname: string;
  created_at: string;
}

export interface CertificatesTable {
  id: string;
  app_id: string;
  name: string;
  source: string;
  chain_pem: string;
  /** The certificate's private key (PEM): the column the store seals. */
  private_key: string;
  /** JSON: string[], the names the leaf is for. */
  names: string;
  subject: string;
  issuer: string;
  not_before: string;
  not_after: string;
  fingerprint: string;
  chain_length: number;
  created_at: string;
  updated_at: string;
}

export interface AppHttpsTable {
  app_id: string;
  mode: string;
  hsts_max_age: number | null;
}

export interface AcmeAccountsTable {
  directory: string;
  /** The ACME account's private key (PEM): a column the store seals. */
  account_key: string;
}

export interface AcmeAppsTable {
  app_id: string;
}

export interface AcmeDomainsTable {
  app_id: string;
  hostname: string;
  state: string;
  reason: string | null;
  next_at: string;
  failures: number;
}

export interface TokensTable {
  id: string;
  hash: string;
  role: string;
  description: string;
  created_at: string;
  user_id: string | null;
  app_id: string | null;
  /** JSON: Permission[] or null. */
  permissions: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  last_used_at: string | null;
}

export interface UsersTable {
  id: string;
  email: string;
  password_hash: string | null;
  setup_code_hash: string | null;
  setup_expires_at: string | null;
  created_at: string;
}

export interface AppAccessTable {
  app_id: string;
  user_id: string;
  /** JSON: Permission[]. */
  permissions: string;
}

export interface DrainsTable {
  id: string;
  app_id: string;
  /** Sealed (secrets at rest). */
  url: string;
  /** A keyed HMAC of the URL under the app's data key: what keeps (app_id, url) unique. */
  url_digest: string;
  created_at: string;
}

export interface DataKeysTable {
  id: string;
  /** An app id, or `platform` (the sentinel). */
  owner_id: string;
  master_key_id: string;
  /** base64: the data key encrypted under the master key. */
  wrapped: string;
  created_at: string;
}

export interface AddonsTable {
  id: string;
  name: string;
  provider: string;
  plan: string;
  app_id: string;
  url: string;
  /** JSON: the provider's handle. */
  resource: string;
  created_at: string;
}

export interface AddonAttachmentsTable {
  id: string;
  addon_id: string;
  app_id: string;
  name: string;
  created_at: string;
}

export interface AppUidsTable {
  app_id: string;
  uid: number;
}

export interface ProcessSettingsTable {
  app_id: string;
  type: string;
  grace_seconds: number | null;
  boot_timeout_seconds: number | null;
  strategy: string | null;
  size: string | null;
}

export interface AuditEventsTable {
  seq: number;
  id: string;
  time: string;
  actor_token_id: string | null;
  actor_user_id: string | null;
  actor_label: string;
  app: string | null;
  action: string;
  method: string;
  path: string;
  /** JSON: the redacted parameters. */
  params: string;
  status: number;
  code: string | null;
  request_id: string;
  remote_address: string;
}

export interface CronJobsTable {
  id: string;
  app_id: string;
  schedule: string;
  /** JSON: the argv. */
  command: string;
  source: string;
  created_at: string;
}

export interface CronRunsTable {
  id: string;
  job_id: string;
  app_id: string;
  scheduled_for: string;
  trigger: string;
  status: string;
  process: string | null;
  started_at: string;
  finished_at: string | null;
  exit_code: number | null;
  note: string | null;
}

/** Pipelines (issue 17). */
export interface PipelinesTable {
  id: string;
  name: string;
  created_at: string;
  review_enabled: number;
  review_autodeploy: number;
  review_stale_days: number;
  /** JSON: the review config vars, each value sealed under the pipeline's data key. */
  review_config: string;
}

export interface PipelineAppsTable {
  app_id: string;
  pipeline_id: string;
  stage: string;
  created_at: string;
}

export interface ReviewAppsTable {
  app_id: string;
  pipeline_id: string;
  branch: string;
  created_at: string;
  last_push_at: string;
}

export interface Database {
  apps: AppsTable;
  builds: BuildsTable;
  slugs: SlugsTable;
  releases: ReleasesTable;
  formation: FormationTable;
  tokens: TokensTable;
  users: UsersTable;
  app_access: AppAccessTable;
  drains: DrainsTable;
  addons: AddonsTable;
  addon_attachments: AddonAttachmentsTable;
  app_uids: AppUidsTable;
  process_settings: ProcessSettingsTable;
  domains: DomainsTable;
  app_buildpacks: AppBuildpacksTable;
  audit_events: AuditEventsTable;
  data_keys: DataKeysTable;
  certificates: CertificatesTable;
  app_https: AppHttpsTable;
  acme_accounts: AcmeAccountsTable;
  acme_apps: AcmeAppsTable;
  acme_domains: AcmeDomainsTable;
  cron_jobs: CronJobsTable;
  cron_runs: CronRunsTable;
  pipelines: PipelinesTable;
  pipeline_apps: PipelineAppsTable;
  review_apps: ReviewAppsTable;
  release_evidence: ReleaseEvidenceTable;
}

/** The scorecard's runtime evidence (issue 18, migration 019). */
export interface ReleaseEvidenceTable {
  app_id: string;
  release: number;
  process: string;
  kind: string;
  /** JSON: the kind's value (core/scorecard/evidence.ts). */
  value: string;
  recorded_at: string;
}
