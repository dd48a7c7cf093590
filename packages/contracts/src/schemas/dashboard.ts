import { Type, type Static } from '../typebox.js';
import { Nullable, Timestamp } from './common.js';

/** POST /session: an account's email and password, or an API token (the admin's token login). */
export const SessionLoginBody = Type.Object(
  {
    email: Type.Optional(Type.String({ minLength: 1, maxLength: 254 })),
    password: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  { additionalProperties: false },
);

/** The signed-in caller; `csrfToken` goes with every mutating request the cookie authenticates (null: not a cookie session). */
export const BrowserSessionSchema = Type.Object({
  label: Type.String(),
  admin: Type.Boolean(),
  csrfToken: Nullable(Type.String()),
  expiresAt: Nullable(Timestamp),
});
export type BrowserSession = Static<typeof BrowserSessionSchema>;

export const SignedOutSchema = Type.Object({ signedOut: Type.Boolean() });

/** One row of the dashboard's apps page: what `dozen apps`, `dozen info` and `dozen ps` say, in one answer. */
export const AppSummarySchema = Type.Object({
  name: Type.String(),
  webUrl: Type.String(),
  state: Type.Union([Type.Literal('running'), Type.Literal('crashed'), Type.Literal('idle')]),
  currentRelease: Nullable(Type.Integer()),
  processesUp: Type.Integer(),
  processesTotal: Type.Integer(),
  lastDeployAt: Nullable(Timestamp),
  permissions: Type.Array(Type.String(), { description: "the caller's permissions on the app (view, deploy, operate, manage)" }),
});
export type AppSummary = Static<typeof AppSummarySchema>;
