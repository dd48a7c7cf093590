import { Type, type Static } from '../typebox.js';
import { Timestamp } from './common.js';

/** A custom domain routed to an app: `www.example.com`, or `*.example.com` for every one-label subdomain. */
export const DomainSchema = Type.Object({
  hostname: Type.String(),
  kind: Type.Union([Type.Literal('exact'), Type.Literal('wildcard')]),
  createdAt: Timestamp,
});
export type Domain = Static<typeof DomainSchema>;

export const AddDomainBody = Type.Object({ hostname: Type.String({ minLength: 1, maxLength: 300 }) });

/** Path parameters `:app/:hostname`; the hostname rule is checked by the core (DOMAIN_INVALID). */
export const DomainParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), hostname: Type.String({ minLength: 1, maxLength: 300 }) });

export const DomainRemovedSchema = Type.Object({ removed: Type.String() });
