/**
 * The data dir's disk, as the core sees it: what artifacts lie there (for garbage collection),
 * removing them, how much each part uses (`dozen status`) and the space left (a full disk).
 */
export interface DataDisk {
  /** What is on the disk now (a listing, no sizes). */
  inventory(): Promise<DiskInventory>;
  /** Removes the artifacts named; one that is already gone is no error. */
  remove(items: DiskArtifacts): Promise<void>;
  /** Space used, walked like `du` (allocated blocks; a file with several links counted once). */
  usage(): Promise<DiskUsage>;
  /** The file system holding the data dir: its free and total bytes. */
  space(): Promise<DiskSpace>;
}

export interface DiskArtifacts {
  /** `<slugs>/<app id>/<slug id>`. */
  slugs: { appId: string; slugId: string }[];
  /** `<slugs>/<app id>` and `<cache>/<app id>` of apps that no longer exist. */
  appDirs: { appId: string; area: 'slugs' | 'cache' }[];
  /** Node.js runtime directories (`<runtimes>/node/<name>`), by absolute path. */
  runtimes: string[];
  /** `<builds>/<build id>`: a build's scratch space. */
  builds: string[];
}

export interface DiskInventory {
  slugs: { appId: string; slugId: string }[];
  /** App ids that have a directory under slugs or cache. */
  appDirs: { appId: string; area: 'slugs' | 'cache' }[];
  runtimes: string[];
  builds: string[];
}

/** Bytes per area of the data dir and per app; `total` is the whole data dir. */
export interface DiskUsage {
  total: number;
  areas: Record<DiskArea, number>;
  /** By app id (slugs, cache) and by app name (logs): the core puts them together. */
  appSlugs: Record<string, number>;
  appCaches: Record<string, number>;
  appLogs: Record<string, number>;
  /** When the walk was made (usage is cached briefly). */
  measuredAt: string;
}

export type DiskArea = 'slugs' | 'caches' | 'runtimes' | 'logs' | 'builds' | 'addons' | 'backups' | 'store' | 'other';

export interface DiskSpace {
  /** The data dir (what a message names). */
  path: string;
  freeBytes: number;
  totalBytes: number;
}
