import { Type, type Static } from '../typebox.js';
import { Timestamp } from './common.js';

/** A certificate of an app (never its private key). */
export const CertificateSchema = Type.Object({
  name: Type.String(),
  source: Type.String(),
  /** The app's custom domains it serves now (the ones its names cover). */
  domains: Type.Array(Type.String()),
  /** The names the certificate is for. */
  names: Type.Array(Type.String()),
  subject: Type.String(),
  issuer: Type.String(),
  notBefore: Timestamp,
  notAfter: Timestamp,
  fingerprint: Type.String(),
  chainLength: Type.Integer(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type Certificate = Static<typeof CertificateSchema>;

/** PEM texts; sizes are checked by the platform (CERT_TOO_LARGE) within the API's 1 MB body limit. */
export const CertificateBody = Type.Object({ certificate: Type.String(), privateKey: Type.String() });

export const CertificateParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), cert: Type.String({ minLength: 1, maxLength: 100 }) });

/** How the router treats an app's plain HTTP requests, and its HSTS header. */
export const HttpsSettingsSchema = Type.Object({
  mode: Type.Union([Type.Literal('http'), Type.Literal('redirect')]),
  hstsMaxAge: Type.Union([Type.Integer(), Type.Null()]),
});
export type HttpsSettings = Static<typeof HttpsSettingsSchema>;

export const HttpsSettingsBody = Type.Object({
  mode: Type.Optional(Type.String({ maxLength: 20 })),
  hstsMaxAge: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
});

/** Automatic certificates of an app: on or off, and each custom domain's state. */
export const AcmStatusSchema = Type.Object({
  enabled: Type.Boolean(),
  domains: Type.Array(
    Type.Object({
      hostname: Type.String(),
      state: Type.Union([Type.Literal('pending'), Type.Literal('issued'), Type.Literal('failing')]),
      /** Why the last order failed (the CA's words), or null. */
      reason: Type.Union([Type.String(), Type.Null()]),
      /** The next order: the first, a retry, or the renewal (a third of the lifetime before expiry). */
      nextAt: Timestamp,
      failures: Type.Integer(),
    }),
  ),
});
export type AcmStatus = Static<typeof AcmStatusSchema>;

/** DOZEN_API_DOMAIN: the name the router serves the API at, its certificates and its ACME state. */
export const ApiDomainSchema = Type.Object({
  domain: Type.String(),
  certificates: Type.Array(CertificateSchema),
  auto: AcmStatusSchema,
});
export type ApiDomain = Static<typeof ApiDomainSchema>;

export const ApiCertificateParams = Type.Object({ cert: Type.String({ minLength: 1, maxLength: 100 }) });
