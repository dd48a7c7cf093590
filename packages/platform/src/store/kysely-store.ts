import type { Kysely } from 'kysely';
import type { Addon, AddonAttachment, App, AuditEvent, AuditQuery, Build, Domain, Drain, Formation, ProcessTypeSettings, Release } from '../core/model.js';
import type { ReleaseState } from '../core/ports/releases-store.js';
import type { Store } from '../core/ports/store.js';
import * as addonRows from './addon-rows.js';
import * as auditRows from './audit-rows.js';
import { buildChanges, fromBuildRow, fromDomainRow, fromReleaseRow, fromSettingsRow, toBuildRow } from './rows.js';
import { loadReleaseState } from './release-state-rows.js';
import { migrations } from './migrations/index.js';
import { migrateStepwise } from './migrate.js';
import type { BuildsTable, Database } from './schema.js';
import { KyselyCronStore } from './cron-store.js';
import type { DataKeyRecord, DataKeyRows, SecretBox } from '../shared-ports/value-sealer.js';
import { deleteOwnerKey, rewrapDataKeys } from './data-key-rows.js';
import { platformBox, type SecretFields } from './secret-fields.js';
import * as drainRows from './drain-rows.js';
import * as releaseRows from './release-rows.js';
import { openRelease, type Sealing } from './sealed-rows.js';
import { dialectOf } from './dialect.js';
import { sql } from './kysely-runtime.js';
import { ADVISORY_LOCKS } from './advisory-locks.js';

/**
 * The Store on Kysely. Dialect-neutral: main.ts hands it a SQLite or a PostgreSQL Kysely. Secret
 * fields (config values, add-on URLs, drain URLs) are sealed on write and opened on read
 * (`fields`): the core sees plain values, the database only ciphertext.
 */
export class KyselyStore extends KyselyCronStore implements Store, DataKeyRows {
  constructor(
    db: Kysely<Database>,
    readonly fields: SecretFields,
    private readonly inTransaction = false,
    /** Rewrites the files so that replaced pages are gone (SQLite: a WAL checkpoint); after a rotation. */
    private readonly purgeOldPages: () => void = () => undefined,
  ) {
    super(db);
  }

  protected get sealing(): Sealing {
    return { fields: this.fields, db: this.db, cache: !this.inTransaction };
  }

  /** The raw Kysely of this store, for the start's checks and sealing pass (sqlite.ts). */
  get kysely(): Kysely<Database> {
    return this.db;
  }

  /** One transaction per migration (store/migrate.ts). */
  migrate(): Promise<void> {
    return migrateStepwise(this.db as unknown as Kysely<unknown>, migrations);
  }

  /**
   * SQLite runs one write transaction at a time; on PostgreSQL the store's transactions take one
   * transaction-level advisory lock first, so that they see each other as on SQLite (a read then a
   * write, as appUid or setFormation do, never interleaves with another), in every process.
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute(async (trx) => {
      if (dialectOf(trx) === 'postgres') await sql`SELECT pg_advisory_xact_lock(${ADVISORY_LOCKS.transactions})`.execute(trx);
      return fn(new KyselyStore(trx, this.fields, true));
    });
  }

  async insertApp(app: App): Promise<void> {
    await this.db.insertInto('apps').values({ id: app.id, name: app.name, created_at: app.createdAt, current_release: app.currentRelease }).execute();
    await this.fields.keyFor(this.db, app.id, !this.inTransaction);
  }

  async findApp(name: string): Promise<App | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at, currentRelease: row.current_release };
  }

  /** Not part of the port: the store's own reads (loadReleaseState) find an app by id. */
  async findAppById(appId: string): Promise<App | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('id', '=', appId).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at, currentRelease: row.current_release };
  }

  async listApps(): Promise<App[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('name').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, currentRelease: row.current_release }));
  }

  deleteApp(appId: string): Promise<void> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      for (const table of ['builds', 'slugs', 'releases', 'formation', 'drains', 'addon_attachments', 'process_settings', 'domains', 'app_buildpacks', 'app_access', 'certificates', 'app_https', 'acme_apps', 'acme_domains', 'cron_jobs', 'cron_runs', 'pipeline_apps', 'review_apps', 'release_evidence'] as const) {
        await db.deleteFrom(table).where('app_id', '=', appId).execute();
      }
      await db.deleteFrom('apps').where('id', '=', appId).execute();
      if (await deleteOwnerKey(db, appId)) this.fields.forget(appId);
    });
  }

  async setCurrentRelease(appId: string, version: number): Promise<void> {
    await this.db.updateTable('apps').set({ current_release: version }).where('id', '=', appId).execute();
  }

  async insertBuild(build: Build): Promise<void> {
    await this.db.insertInto('builds').values({ phases: null, warnings: null, checks: null, ...(toBuildRow(build) as Omit<BuildsTable, 'output' | 'phases' | 'warnings' | 'checks'>), output: null }).execute();
  }

  async updateBuild(buildId: string, patch: Partial<Omit<Build, 'id' | 'appId'>>): Promise<void> {
    const set = buildChanges(patch);
    if (Object.keys(set).length > 0) await this.db.updateTable('builds').set(set).where('id', '=', buildId).execute();
  }

  async finishBuild(buildId: string, patch: Partial<Omit<Build, 'id' | 'appId'>>, output: string): Promise<void> {
    await this.db.updateTable('builds').set({ ...buildChanges(patch), output }).where('id', '=', buildId).execute();
  }

  async findBuild(appId: string, buildId: string): Promise<Build | undefined> {
    const row = await this.db.selectFrom('builds').selectAll().where('app_id', '=', appId).where('id', '=', buildId).executeTakeFirst();
    return row && fromBuildRow(row);
  }

  async listBuilds(appId: string, limit: number): Promise<Build[]> {
    const rows = await this.db.selectFrom('builds').selectAll().where('app_id', '=', appId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(fromBuildRow);
  }

  async getBuildOutput(buildId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('builds').select('output').where('id', '=', buildId).executeTakeFirst();
    return row?.output ?? undefined;
  }

  insertRelease(release: Release): Promise<void> {
    return releaseRows.insertRelease(this.sealing, release);
  }

  async updateRelease(appId: string, version: number, patch: Partial<Pick<Release, 'status' | 'failure'>>): Promise<void> {
    const set: { status?: string; failure?: string | null } = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.failure !== undefined) set.failure = patch.failure;
    await this.db.updateTable('releases').set(set).where('app_id', '=', appId).where('version', '=', version).execute();
  }

  async findRelease(appId: string, version: number): Promise<Release | undefined> {
    const row = await this.db.selectFrom('releases').selectAll().where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();
    return row && openRelease(this.sealing, fromReleaseRow(row));
  }

  async listReleases(appId: string, limit: number): Promise<Release[]> {
    const rows = await this.db.selectFrom('releases').selectAll().where('app_id', '=', appId).orderBy('version', 'desc').limit(limit).execute();
    return Promise.all(rows.map((row) => openRelease(this.sealing, fromReleaseRow(row))));
  }

  async latestReleaseVersion(appId: string): Promise<number> {
    const row = await this.db.selectFrom('releases').select((eb) => eb.fn.max('version').as('v')).where('app_id', '=', appId).executeTakeFirst();
    return Number(row?.v ?? 0);
  }

  loadReleaseState(appId: string, options: { slugId: string | null | 'current'; uidBase: number }): Promise<ReleaseState | undefined> {
    return loadReleaseState(this, appId, options);
  }

  markReleaseCurrent(appId: string, version: number): Promise<void> {
    return this.transaction(async (tx) => {
      await tx.updateRelease(appId, version, { status: 'succeeded' });
      await tx.setCurrentRelease(appId, version);
    });
  }

  async getRequiredChecks(appId: string): Promise<string[]> {
    const row = await this.db.selectFrom('apps').select('scorecard_required').where('id', '=', appId).executeTakeFirst();
    return row?.scorecard_required ? (JSON.parse(row.scorecard_required) as string[]) : [];
  }

  async setRequiredChecks(appId: string, required: string[]): Promise<void> {
    await this.db.updateTable('apps').set({ scorecard_required: required.length === 0 ? null : JSON.stringify(required) }).where('id', '=', appId).execute();
  }

  async getBuildpacks(appId: string): Promise<string[]> {
    const rows = await this.db.selectFrom('app_buildpacks').select('url').where('app_id', '=', appId).orderBy('position').execute();
    return rows.map((row) => row.url);
  }

  setBuildpacks(appId: string, buildpacks: string[]): Promise<void> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      await db.deleteFrom('app_buildpacks').where('app_id', '=', appId).execute();
      const rows = buildpacks.map((url, position) => ({ app_id: appId, position, url }));
      if (rows.length > 0) await db.insertInto('app_buildpacks').values(rows).execute();
    });
  }

  async getFormation(appId: string): Promise<Formation> {
    const rows = await this.db.selectFrom('formation').selectAll().where('app_id', '=', appId).execute();
    return Object.fromEntries(rows.map((row) => [row.type, row.quantity]));
  }

  setFormation(appId: string, formation: Formation): Promise<void> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      await db.deleteFrom('formation').where('app_id', '=', appId).execute();
      const rows = Object.entries(formation).map(([type, quantity]) => ({ app_id: appId, type, quantity }));
      if (rows.length > 0) await db.insertInto('formation').values(rows).execute();
    });
  }

  insertDrain(drain: Drain): Promise<void> {
    return drainRows.insertDrain(this.sealing, drain);
  }

  listDrains(appId: string): Promise<Drain[]> {
    return drainRows.listDrains(this.sealing, appId);
  }

  async deleteDrain(appId: string, drainId: string): Promise<void> {
    await this.db.deleteFrom('drains').where('app_id', '=', appId).where('id', '=', drainId).execute();
  }

  insertAddon(addon: Addon): Promise<void> {
    return addonRows.insertAddon(this.sealing, addon);
  }

  updateAddonUrl(addonId: string, url: string): Promise<void> {
    return addonRows.updateAddonUrl(this.sealing, addonId, url);
  }

  findAddon(name: string): Promise<Addon | undefined> {
    return addonRows.findAddon(this.sealing, 'name', name);
  }

  findAddonById(addonId: string): Promise<Addon | undefined> {
    return addonRows.findAddon(this.sealing, 'id', addonId);
  }

  listAddons(ownerAppId?: string): Promise<Addon[]> {
    return addonRows.listAddons(this.sealing, ownerAppId);
  }

  /** The platform's own secrets kept outside the store (add-on servers' admin passwords). */
  platformSecrets(): SecretBox {
    return platformBox(this.db, this.fields);
  }

  /** Rotation (DataKeyRows): every data key re-wrapped in one transaction. */
  async rewrapDataKeys(rewrap: (record: DataKeyRecord) => DataKeyRecord): Promise<{ total: number; rewrapped: number }> {
    const done = await this.transaction((tx) => rewrapDataKeys((tx as KyselyStore).db, rewrap));
    if (done.rewrapped > 0) this.purgeOldPages();
    return done;
  }

  deleteAddon(addonId: string): Promise<void> {
    return this.transaction((tx) => addonRows.deleteAddon((tx as KyselyStore).db, addonId));
  }

  insertAttachment(attachment: AddonAttachment): Promise<void> {
    return addonRows.insertAttachment(this.db, attachment);
  }

  deleteAttachment(attachmentId: string): Promise<void> {
    return addonRows.deleteAttachment(this.db, attachmentId);
  }

  listAttachments(filter: { appId?: string; addonId?: string }): Promise<AddonAttachment[]> {
    return addonRows.listAttachments(this.db, filter);
  }

  appUid(appId: string, base: number): Promise<number> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      const row = await db.selectFrom('app_uids').select('uid').where('app_id', '=', appId).executeTakeFirst();
      if (row) return Number(row.uid);
      const max = await db.selectFrom('app_uids').select((eb) => eb.fn.max('uid').as('m')).executeTakeFirst();
      const uid = Math.max(base, Number(max?.m ?? 0) + 1);
      await db.insertInto('app_uids').values({ app_id: appId, uid }).execute();
      return uid;
    });
  }

  async getProcessSettings(appId: string): Promise<Record<string, ProcessTypeSettings>> {
    const rows = await this.db.selectFrom('process_settings').selectAll().where('app_id', '=', appId).execute();
    return Object.fromEntries(rows.map((row) => [row.type, fromSettingsRow(row)]));
  }

  setProcessSettings(appId: string, type: string, settings: ProcessTypeSettings): Promise<void> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      await db.deleteFrom('process_settings').where('app_id', '=', appId).where('type', '=', type).execute();
      if (Object.keys(settings).length === 0) return;
      await db
        .insertInto('process_settings')
        .values({ app_id: appId, type, grace_seconds: settings.graceSeconds ?? null, boot_timeout_seconds: settings.bootTimeoutSeconds ?? null, strategy: settings.strategy ?? null, size: settings.size ?? null })
        .execute();
    });
  }

  async insertDomain(domain: Domain): Promise<void> {
    await this.db.insertInto('domains').values({ id: domain.id, app_id: domain.appId, hostname: domain.hostname, created_at: domain.createdAt }).execute();
  }

  async findDomain(hostname: string): Promise<Domain | undefined> {
    const row = await this.db.selectFrom('domains').selectAll().where('hostname', '=', hostname).executeTakeFirst();
    return row && fromDomainRow(row);
  }

  async listDomains(appId?: string): Promise<Domain[]> {
    let query = this.db.selectFrom('domains').selectAll().orderBy('hostname');
    if (appId !== undefined) query = query.where('app_id', '=', appId);
    return (await query.execute()).map(fromDomainRow);
  }

  async deleteDomain(domainId: string): Promise<void> {
    await this.db.deleteFrom('domains').where('id', '=', domainId).execute();
  }

  async getDeployBranch(appId: string): Promise<string | null> {
    const row = await this.db.selectFrom('apps').select('deploy_branch').where('id', '=', appId).executeTakeFirst();
    return row?.deploy_branch ?? null;
  }

  async setDeployBranch(appId: string, branch: string | null): Promise<void> {
    await this.db.updateTable('apps').set({ deploy_branch: branch }).where('id', '=', appId).execute();
  }

  appendAudit(event: AuditEvent): Promise<void> {
    return auditRows.appendAudit(this.db, event);
  }

  listAudit(query: AuditQuery): Promise<AuditEvent[]> {
    return auditRows.listAudit(this.db, query);
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}
