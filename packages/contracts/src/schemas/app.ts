import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';

export const AppSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  createdAt: Timestamp,
  currentRelease: Nullable(Type.Integer()),
});
export type App = Static<typeof AppSchema>;

export const CreateAppBody = Type.Object({ name: Type.String({ maxLength: 256 }) });

export const AppInfoSchema = Type.Object({
  app: AppSchema,
  webUrl: Type.String(),
  formation: Type.Record(Type.String(), Type.Integer()),
  processTypes: Type.Record(Type.String(), Type.String()),
  processCount: Type.Integer(),
  slugSize: Nullable(Type.Integer()),
});
export type AppInfo = Static<typeof AppInfoSchema>;

export const DestroyedSchema = Type.Object({ destroyed: Type.String() });
