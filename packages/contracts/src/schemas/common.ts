import { Type } from '../typebox.js';

/** Path parameter `:app`. The name rule itself is checked by the core, which answers APP_NAME_INVALID. */
export const AppParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }) });

export const Timestamp = Type.String({ description: 'ISO 8601, UTC' });

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const ErrorBodySchema = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    hint: Type.String(),
    requestId: Type.Optional(Type.String()),
    details: Type.Optional(Type.Unknown()),
  }),
});
