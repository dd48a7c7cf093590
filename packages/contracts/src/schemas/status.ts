import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';

const Bytes = Type.Integer({ minimum: 0, description: 'bytes allocated on disk (like du)' });

export const DiskAreasSchema = Type.Object({
  slugs: Bytes,
  caches: Bytes,
  runtimes: Bytes,
  logs: Bytes,
  builds: Bytes,
  addons: Bytes,
  backups: Bytes,
  store: Bytes,
  other: Bytes,
});

export const AppDiskSchema = Type.Object({ app: Type.String(), slugs: Bytes, cache: Bytes, logs: Bytes, total: Bytes });

/** `dozen status` (GET /status, admin). */
export const PlatformStatusSchema = Type.Object({
  version: Type.String({ description: 'the Dozen that runs' }),
  schema: Type.String({ description: "the data dir's schema: the store's last migration" }),
  store: Type.Union([Type.Literal('sqlite'), Type.Literal('postgres')], { description: 'the store DATABASE_URL selects: the SQLite file, or PostgreSQL' }),
  dataDir: Type.String(),
  startedAt: Type.String({ description: 'ISO 8601' }),
  uptimeSeconds: Type.Integer({ minimum: 0 }),
  apps: Type.Integer({ minimum: 0 }),
  disk: Type.Object({
    total: Bytes,
    areas: DiskAreasSchema,
    apps: Type.Array(AppDiskSchema),
    measuredAt: Type.String({ description: 'ISO 8601; a measurement is reused for 10 s' }),
    freeBytes: Type.Integer({ minimum: 0, description: 'free on the file system of the data dir' }),
    sizeBytes: Type.Integer({ minimum: 0, description: 'size of that file system' }),
  }),
  backups: Type.Object({
    schedule: Type.String({ description: 'DOZEN_BACKUP_SCHEDULE as understood, e.g. "daily 02:00 UTC" or "off"' }),
    keep: Type.Integer({ minimum: 0, description: 'scheduled archives kept' }),
    last: Nullable(Type.Object({ id: Type.String(), at: Type.String(), bytes: Type.Integer({ minimum: 0 }), ok: Type.Boolean(), error: Type.Optional(Type.String()) })),
    next: Nullable(Type.String({ description: 'ISO 8601: the next scheduled backup' })),
  }),
});
export type PlatformStatus = Static<typeof PlatformStatusSchema>;
