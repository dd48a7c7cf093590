import type { BackupSchedule } from '../backup-schedule.js';

/** One archive in the data dir's backups. */
export interface BackupInfo {
  id: string;
  createdAt: string;
  bytes: number;
  scheduled: boolean;
  withCaches: boolean;
  /** The apps it holds. */
  apps: number;
}

/** What one backup holds: every app with the slugs of its rollback window, chosen by the core. */
export interface BackupPlan {
  id: string;
  createdAt: Date;
  scheduled: boolean;
  withCaches: boolean;
  apps: { id: string; name: string; currentRelease: number | null; slugIds: string[] }[];
  /** Directories of Node.js runtimes the kept slugs run with (those in the data dir are copied). */
  nodeBinDirs: string[];
}

/**
 * The archives (adapter: backups/backup-archives.ts): one at a time, written so that a kill or a
 * full disk never leaves one that looks complete.
 */
export interface BackupArchives {
  create(plan: BackupPlan): Promise<BackupInfo>;
  /** Newest first. */
  list(): Promise<BackupInfo[]>;
  /** The archive's bytes, streamed; undefined: no such backup. */
  open(id: string): Promise<{ bytes: number; stream: AsyncIterable<Uint8Array> } | undefined>;
  remove(id: string): Promise<void>;
}

/** One backup of one postgres add-on (Heroku's pg:backups). */
export interface AddonBackupInfo {
  id: string;
  /** The add-on's name. */
  addon: string;
  createdAt: string;
  bytes: number;
}

/** Per-add-on dumps (adapter: addons/providers/postgres/pg-dumps.ts). */
export interface AddonDumps {
  capture(addon: { id: string; name: string; url: string }, id: string, createdAt: Date): Promise<AddonBackupInfo>;
  /** Newest first. */
  list(addonId: string): Promise<AddonBackupInfo[]>;
  open(addonId: string, id: string): Promise<{ bytes: number; stream: AsyncIterable<Uint8Array> } | undefined>;
  /** The dump `backup` (of this or another add-on) replaces the database of `addon`. */
  restore(addon: { id: string; name: string; url: string }, backup: { addonId: string; id: string }): Promise<void>;
}

/** The result of the last backup this platform process attempted. */
export interface LastBackup {
  id: string;
  at: string;
  bytes: number;
  ok: boolean;
  error?: string;
}

/** Backups as the core sees them: the archives, the schedule and what happened last. */
export interface BackupDeps {
  archives: BackupArchives;
  /** `pg:backups` of single add-ons. */
  addonDumps: AddonDumps;
  schedule: BackupSchedule;
  /** DOZEN_BACKUP_KEEP: scheduled archives kept (older ones are deleted after a new one succeeds). */
  keep: number;
  /** Mutable: set while a backup runs, and after each one. */
  state: { running: boolean; last: LastBackup | null; next: Date | null };
}
