import { Type, type Static } from '../typebox.js';
import { Timestamp } from './common.js';

/** One archive of the whole platform (issue 15). */
export const BackupSchema = Type.Object({
  id: Type.String(),
  createdAt: Timestamp,
  bytes: Type.Integer(),
  scheduled: Type.Boolean({ description: 'made by DOZEN_BACKUP_SCHEDULE (pruned to DOZEN_BACKUP_KEEP)' }),
  withCaches: Type.Boolean(),
  apps: Type.Integer(),
});
export type Backup = Static<typeof BackupSchema>;

export const CreateBackupBody = Type.Object({ withCaches: Type.Optional(Type.Boolean()) });

/** One backup of one postgres add-on (`pg:backups`). */
export const PgBackupSchema = Type.Object({ id: Type.String(), addon: Type.String(), createdAt: Timestamp, bytes: Type.Integer() });
export const CapturePgBackupBody = Type.Object({ addon: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })) });
export const RestorePgBackupBody = Type.Object({ addon: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })), confirm: Type.Optional(Type.String({ maxLength: 256 })) });
export const PgBackupParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), backup: Type.String({ minLength: 1, maxLength: 64 }) });
export const PgRestoredSchema = Type.Object({ id: Type.String(), addon: Type.String(), createdAt: Timestamp, bytes: Type.Integer(), into: Type.String() });
