import { createHash } from 'node:crypto';
import type { RunTarget } from '../core/ports/runtime.js';
import type { SizeTable } from '../core/process-sizes.js';

/**
 * What the Kubernetes manifests are made from: the same RunTarget the local runtime gets, the
 * app's domains, where its slug is fetched from, and the platform's settings for the cluster.
 */
export interface KubePlan {
  target: RunTarget;
  /** The app's custom domains and its platform name (`<app>.<domain>`): the Ingress's hosts. */
  hosts: readonly string[];
  slug: SlugSource;
  cluster: ClusterSettings;
}

/** Where the init container fetches the release's slug (GET /slugs/:id with a slug-scoped token). */
export interface SlugSource {
  /** `<api>/slugs/<slug id>`, reachable from the cluster's pods. */
  url: string;
  /** A token that opens this slug only (slug-token.ts). */
  token: string;
  /** sha256 (hex) of the archive the URL serves: checked by the init container before unpacking. */
  sha256: string;
}

export interface ClusterSettings {
  namespace: string;
  /** The base image (a Debian root file system with Node.js at /opt/dozen/node unless `nodeHostPath`). */
  image: string;
  /** The port web processes listen on (each pod has its own address: one port for all). */
  webPort: number;
  /** The platform's grace period (DOZEN_GRACE_PERIOD): a type's own `ps:type --grace` wins. */
  graceSeconds: number;
  sizes: SizeTable;
  /** The ingress class of the app's Ingress (null: the cluster's default). */
  ingressClass: string | null;
  /** A host directory holding Node.js (bin/node), mounted at /opt/dozen/node (single-node clusters, Podman); null: the image has it. */
  nodeHostPath: string | null;
  /** Pods share the host's network (Podman on one host); false on a cluster. */
  hostNetwork: boolean;
}

/** One Kubernetes object as applied (server-side apply: the whole intent, nothing read back). */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels: Record<string, string>; annotations?: Record<string, string> };
  [field: string]: unknown;
}

export const FIELD_MANAGER = 'dozen';
/** Labels on every object: which app, process type and release it belongs to. */
export const LABEL_APP = 'dozen.dev/app';
export const LABEL_TYPE = 'dozen.dev/type';
export const LABEL_RELEASE = 'dozen.dev/release';
export const LABEL_MANAGED = 'app.kubernetes.io/managed-by';

/** The process types that run as Deployments: all but `release` (the release phase, a Job). */
export function deployedTypes(target: RunTarget): string[] {
  return Object.keys(target.processTypes).filter((type) => type !== 'release').sort();
}

export function deploymentName(app: string, type: string): string {
  return `${app}-${type}`;
}

export function configSecretName(app: string, release: number): string {
  return `${app}-v${release}-config`;
}

/**
 * `<app>-v<N>-slug-<8 hex of the token's sha256>`: immutable, so a new token (the key file
 * replaced, a restore onto another data dir) gets a new Secret rather than a refused apply.
 */
export function slugSecretName(app: string, release: number, token: string): string {
  return `${app}-v${release}-slug-${createHash('sha256').update(token).digest('hex').slice(0, 8)}`;
}

export function releaseJobName(app: string, release: number): string {
  return `${app}-release-v${release}`;
}
