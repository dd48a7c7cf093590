import { Migrator, type Kysely, type Selectable } from 'kysely';
import type { App, Build, BuildStatus, Formation, Release, ReleaseStatus, Slug, Token } from '../core/model.js';
import type { Store } from '../core/ports.js';
import { migrations } from './migrations/index.js';
import type { BuildsTable, Database, ReleasesTable, SlugsTable } from './schema.js';

/** The Store on Kysely. Dialect-neutral: main.ts hands it a SQLite or a PostgreSQL Kysely. */
export class KyselyStore implements Store {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly inTransaction = false,
  ) {}

  async migrate(): Promise<void> {
    const { error, results } = await new Migrator({ db: this.db, provider: migrations }).migrateToLatest();
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      throw new Error(`store migration ${failed} failed: ${(error as Error).message}`, { cause: error });
    }
  }

  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    return this.db.transaction().execute((trx) => fn(new KyselyStore(trx, true)));
  }

  async insertApp(app: App): Promise<void> {
    await this.db.insertInto('apps').values({ id: app.id, name: app.name, created_at: app.createdAt, current_release: app.currentRelease }).execute();
  }

  async findApp(name: string): Promise<App | undefined> {
    const row = await this.db.selectFrom('apps').selectAll().where('name', '=', name).executeTakeFirst();
    return row && { id: row.id, name: row.name, createdAt: row.created_at, currentRelease: row.current_release };
  }

  async listApps(): Promise<App[]> {
    const rows = await this.db.selectFrom('apps').selectAll().orderBy('name').execute();
    return rows.map((row) => ({ id: row.id, name: row.name, createdAt: row.created_at, currentRelease: row.current_release }));
  }

  deleteApp(appId: string): Promise<void> {
    return this.transaction(async (tx) => {
      const db = (tx as KyselyStore).db;
      for (const table of ['builds', 'slugs', 'releases', 'formation'] as const) {
        await db.deleteFrom(table).where('app_id', '=', appId).execute();
      }
      await db.deleteFrom('apps').where('id', '=', appId).execute();
    });
  }

  async setCurrentRelease(appId: string, version: number): Promise<void> {
    await this.db.updateTable('apps').set({ current_release: version }).where('id', '=', appId).execute();
  }

  async insertBuild(build: Build): Promise<void> {
    await this.db.insertInto('builds').values({ ...(toBuildRow(build) as Omit<BuildsTable, 'output'>), output: null }).execute();
  }

  async updateBuild(buildId: string, patch: Partial<Omit<Build, 'id' | 'appId'>>): Promise<void> {
    const row = toBuildRow({ ...patch } as Build);
    const set = Object.fromEntries(Object.entries(row).filter(([, v]) => v !== undefined));
    if (Object.keys(set).length > 0) await this.db.updateTable('builds').set(set).where('id', '=', buildId).execute();
  }

  async findBuild(appId: string, buildId: string): Promise<Build | undefined> {
    const row = await this.db.selectFrom('builds').selectAll().where('app_id', '=', appId).where('id', '=', buildId).executeTakeFirst();
    return row && fromBuildRow(row);
  }

  async listBuilds(appId: string, limit: number): Promise<Build[]> {
    const rows = await this.db.selectFrom('builds').selectAll().where('app_id', '=', appId).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute();
    return rows.map(fromBuildRow);
  }

  async saveBuildOutput(buildId: string, output: string): Promise<void> {
    await this.db.updateTable('builds').set({ output }).where('id', '=', buildId).execute();
  }

  async getBuildOutput(buildId: string): Promise<string | undefined> {
    const row = await this.db.selectFrom('builds').select('output').where('id', '=', buildId).executeTakeFirst();
    return row?.output ?? undefined;
  }

  async insertSlug(slug: Slug): Promise<void> {
    await this.db
      .insertInto('slugs')
      .values({
        id: slug.id,
        app_id: slug.appId,
        build_id: slug.buildId,
        process_types: JSON.stringify(slug.processTypes),
        buildpack: slug.buildpack,
        size_bytes: slug.sizeBytes,
        runtime: JSON.stringify(slug.runtime),
        created_at: slug.createdAt,
      })
      .execute();
  }

  async findSlug(slugId: string): Promise<Slug | undefined> {
    const row = await this.db.selectFrom('slugs').selectAll().where('id', '=', slugId).executeTakeFirst();
    return row && fromSlugRow(row);
  }

  async insertRelease(release: Release): Promise<void> {
    await this.db
      .insertInto('releases')
      .values({
        id: release.id,
        app_id: release.appId,
        version: release.version,
        slug_id: release.slugId,
        build_id: release.buildId,
        config: JSON.stringify(release.config),
        description: release.description,
        status: release.status,
        failure: release.failure,
        created_at: release.createdAt,
        commit: release.commit,
      })
      .execute();
  }

  async updateRelease(appId: string, version: number, patch: Partial<Pick<Release, 'status' | 'failure'>>): Promise<void> {
    const set: { status?: string; failure?: string | null } = {};
    if (patch.status !== undefined) set.status = patch.status;
    if (patch.failure !== undefined) set.failure = patch.failure;
    await this.db.updateTable('releases').set(set).where('app_id', '=', appId).where('version', '=', version).execute();
  }

  async findRelease(appId: string, version: number): Promise<Release | undefined> {
    const row = await this.db.selectFrom('releases').selectAll().where('app_id', '=', appId).where('version', '=', version).executeTakeFirst();
    return row && fromReleaseRow(row);
  }

  async listReleases(appId: string, limit: number): Promise<Release[]> {
    const rows = await this.db.selectFrom('releases').selectAll().where('app_id', '=', appId).orderBy('version', 'desc').limit(limit).execute();
    return rows.map(fromReleaseRow);
  }

  async latestReleaseVersion(appId: string): Promise<number> {
    const row = await this.db.selectFrom('releases').select((eb) => eb.fn.max('version').as('v')).where('app_id', '=', appId).executeTakeFirst();
    return Number(row?.v ?? 0);
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

  async insertToken(token: Token): Promise<void> {
    await this.db.insertInto('tokens').values({ id: token.id, hash: token.hash, role: token.role, description: token.description, created_at: token.createdAt }).execute();
  }

  async findTokenByHash(hash: string): Promise<Token | undefined> {
    const row = await this.db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row && { id: row.id, hash: row.hash, role: 'admin', description: row.description, createdAt: row.created_at };
  }

  async getDeployBranch(appId: string): Promise<string | null> {
    const row = await this.db.selectFrom('apps').select('deploy_branch').where('id', '=', appId).executeTakeFirst();
    return row?.deploy_branch ?? null;
  }

  async setDeployBranch(appId: string, branch: string | null): Promise<void> {
    await this.db.updateTable('apps').set({ deploy_branch: branch }).where('id', '=', appId).execute();
  }

  async close(): Promise<void> {
    await this.db.destroy();
  }
}

function toBuildRow(build: Partial<Build>): Partial<Omit<BuildsTable, 'output'>> {
  return {
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

function fromBuildRow(row: Selectable<BuildsTable>): Build {
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
    commit: row.commit,
  };
}

function fromSlugRow(row: Selectable<SlugsTable>): Slug {
  return {
    id: row.id,
    appId: row.app_id,
    buildId: row.build_id,
    processTypes: JSON.parse(row.process_types) as Slug['processTypes'],
    buildpack: row.buildpack,
    sizeBytes: Number(row.size_bytes),
    runtime: JSON.parse(row.runtime) as Slug['runtime'],
    createdAt: row.created_at,
  };
}

function fromReleaseRow(row: Selectable<ReleasesTable>): Release {
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
    commit: row.commit,
  };
}
