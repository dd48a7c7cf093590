import { Type, type Static } from '../typebox.js';
import { AppParams, Nullable, Timestamp } from './common.js';
import { ReleaseSchema } from './release.js';

/** Path parameters of one add-on, named by its add-on name or by an attachment name in the app. */
export const AddonParams = Type.Object({ app: AppParams.properties.app, addon: Type.String({ minLength: 1, maxLength: 256 }) });
export const AttachmentParams = Type.Object({ app: AppParams.properties.app, name: Type.String({ minLength: 1, maxLength: 256 }) });

export const AttachmentSchema = Type.Object({
  app: Type.String(),
  name: Type.String({ description: 'the config var it sets, e.g. DATABASE_URL' }),
  createdAt: Timestamp,
});
export type Attachment = Static<typeof AttachmentSchema>;

export const AddonSchema = Type.Object({
  name: Type.String({ description: 'unique, e.g. postgres-3f9a1c2e' }),
  provider: Type.String(),
  plan: Type.String(),
  app: Type.String({ description: 'the app that owns it' }),
  attachments: Type.Array(AttachmentSchema),
  createdAt: Timestamp,
});
export type Addon = Static<typeof AddonSchema>;

export const AddonInfoSchema = Type.Object({
  addon: AddonSchema,
  /** Facts from the provider (database, server, size...); never credentials. */
  details: Type.Record(Type.String(), Type.String()),
});
export type AddonInfo = Static<typeof AddonInfoSchema>;

export const CreateAddonBody = Type.Object({
  provider: Type.String({ minLength: 1, maxLength: 64 }),
  plan: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  as: Type.Optional(Type.String({ maxLength: 256 })),
  /** For the `url` provider: the resource's URL. */
  url: Type.Optional(Type.String({ maxLength: 8192 })),
});
export type CreateAddon = Static<typeof CreateAddonBody>;

export const AttachAddonBody = Type.Object({
  addon: Type.String({ minLength: 1, maxLength: 256 }),
  as: Type.Optional(Type.String({ maxLength: 256 })),
});
export type AttachAddon = Static<typeof AttachAddonBody>;

/** An add-on change and the release it made (null when the app's config did not change). */
export const AddonChangeSchema = Type.Object({
  addon: AddonSchema,
  release: Nullable(ReleaseSchema),
});
export type AddonChange = Static<typeof AddonChangeSchema>;

/** What a destroy or a credentials rotation did: the add-on's name and the releases it made. */
export const AddonReleasesSchema = Type.Object({
  addon: Type.String(),
  releases: Type.Array(ReleaseSchema),
});
