/** Table shapes as the database holds them (JSON columns are text). */
export interface AppsTable {
  id: string;
  name: string;
  created_at: string;
  current_release: number | null;
  deploy_branch: string | null;
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
  commit: string | null;
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
  commit: string | null;
}

export interface FormationTable {
  app_id: string;
  type: string;
  quantity: number;
}

export interface TokensTable {
  id: string;
  hash: string;
  role: string;
  description: string;
  created_at: string;
}

export interface Database {
  apps: AppsTable;
  builds: BuildsTable;
  slugs: SlugsTable;
  releases: ReleasesTable;
  formation: FormationTable;
  tokens: TokensTable;
}
