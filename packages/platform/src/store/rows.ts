import type { Selectable } from 'kysely';
import type { Build, BuildStatus, Domain, ProcessTypeSettings, Release, ReleaseStatus, RolloutStrategy, Slug } from '../core/model.js';
import type { BuildsTable, DomainsTable, ProcessSettingsTable, ReleasesTable, SlugsTable } from './schema.js';

/** Rows of the builds, slugs, releases, domains and process settings tables, to and from the model. */
export function fromDomainRow(row: Selectable<DomainsTable>): Domain {
  return { id: row.id, appId: row.app_id, hostname: row.hostname, createdAt: row.created_at };
}

export function toBuildRow(build: Partial<Build>): Partial<Omit<BuildsTable, 'output'>> {
  return {
    phases: build.phases === undefined ? undefined : JSON.stringify(build.phases),
    warnings: build.warnings === undefined ? undefined : JSON.stringify(build.warnings),
    checks: build.checks === undefined ? undefined : JSON.stringify(build.checks),
    id: build.id,
    app_id: build.appId,
    status: build.status,
    buildpack: build.buildpack,
    slug_id: build.slugId,
    release: build.release,
    error: build.error === undefined ? undefined : build.error === null ? null : JSON.stringify(build.error),
    created_at: build.createdAt,
    finished_at: build.finishedAt,
    commit: build.commit,
  };
}

export function fromBuildRow(row: Selectable<BuildsTable>): Build {
  return {
    id: row.id,
    appId: row.app_id,
    status: row.status as BuildStatus,
    buildpack: row.buildpack,
    slugId: row.slug_id,
    release: row.release,
    error: row.error ? (JSON.parse(row.error) as Build['error']) : null,
    createdAt: row.created_at,
    finishedAt: row.finished_at,
    ...(row.phases ? { phases: JSON.parse(row.phases) as Build['phases'] } : {}),
    ...(row.warnings ? { warnings: JSON.parse(row.warnings) as Build['warnings'] } : {}),
    ...(row.checks ? { checks: JSON.parse(row.checks) as Build['checks'] } : {}),
    commit: row.commit,
  };
}

export function fromSlugRow(row: Selectable<SlugsTable>): Slug {
  return {
    id: row.id,
    appId: row.app_id,
    buildId: row.build_id,
    processTypes: JSON.parse(row.process_types) as Slug['processTypes'],
    buildpack: row.buildpack,
    sizeBytes: Number(row.size_bytes),
    runtime: JSON.parse(row.runtime) as Slug['runtime'],
    createdAt: row.created_at,
    ...(row.digest ? { digest: row.digest } : {}),
    manifest: JSON.parse(row.manifest) as NonNullable<Slug['manifest']>,
    ...(row.collected_at ? { collectedAt: row.collected_at } : {}),
  };
}

export function fromSettingsRow(row: Selectable<ProcessSettingsTable>): ProcessTypeSettings {
  const settings: ProcessTypeSettings = {};
  if (row.grace_seconds !== null) settings.graceSeconds = Number(row.grace_seconds);
  if (row.boot_timeout_seconds !== null) settings.bootTimeoutSeconds = Number(row.boot_timeout_seconds);
  if (row.strategy !== null) settings.strategy = row.strategy as RolloutStrategy;
  if (row.size !== null && row.size !== undefined) settings.size = row.size;
  return settings;
}

export function fromReleaseRow(row: Selectable<ReleasesTable>): Release {
  return {
    id: row.id,
    appId: row.app_id,
    version: Number(row.version),
    slugId: row.slug_id,
    buildId: row.build_id,
    config: JSON.parse(row.config) as Release['config'],
    description: row.description,
    status: row.status as ReleaseStatus,
    failure: row.failure,
    createdAt: row.created_at,
    addonVars: JSON.parse(row.addon_vars) as string[],
    commit: row.commit,
  };
}

/** The columns a build patch sets (undefined: left as it is). */
export function buildChanges(patch: Partial<Omit<Build, 'id' | 'appId'>>): Partial<BuildsTable> {
  return Object.fromEntries(Object.entries(toBuildRow({ ...patch } as Build)).filter(([, v]) => v !== undefined)) as Partial<BuildsTable>;
}
