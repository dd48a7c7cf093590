import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';
import { ReleaseSchema } from './release.js';

export const ConfigVarsSchema = Type.Record(Type.String(), Type.String());
export type ConfigVars = Static<typeof ConfigVarsSchema>;

/** A value of null unsets the key. */
export const ConfigUpdateBody = Type.Record(Type.String({ maxLength: 1024 }), Nullable(Type.String()));
export type ConfigUpdate = Static<typeof ConfigUpdateBody>;

export const ConfigUpdateResultSchema = Type.Object({
  config: ConfigVarsSchema,
  release: Nullable(ReleaseSchema),
});
export type ConfigUpdateResult = Static<typeof ConfigUpdateResultSchema>;
