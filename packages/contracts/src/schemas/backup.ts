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
