import type { DomainRoutes } from '../core/ports/domain-routes.js';

const APP_LABEL = /^[a-z][a-z0-9-]{1,29}$/;
/** Resolved hosts are remembered (raw Host value -> app); the cache is cleared when full or on change. */
const CACHE_LIMIT = 10_000;

/**
 * Which app a Host header means: `<app>.<platform domain>`, an exact custom domain, or a
 * `*.example.com` wildcard (one label, as in TLS). Case, a port and a trailing dot do not matter.
 */
export class HostTable implements DomainRoutes {
  private readonly suffix: string;
  private readonly exact = new Map<string, string>();
  private readonly wildcard = new Map<string, string>();
  private readonly byApp = new Map<string, string[]>();
  private readonly cache = new Map<string, string>();
  /** Apps in maintenance mode (issue 17): the router answers them 503 (H80); looked up only when not empty. */
  readonly maintenance = new Set<string>();

  constructor(readonly domain: string) {
    this.suffix = `.${domain}`;
  }

  setDomains(app: string, hostnames: string[]): void {
    for (const old of this.byApp.get(app) ?? []) {
      if (old.startsWith('*.')) this.wildcard.delete(old.slice(2));
      else this.exact.delete(old);
    }
    if (hostnames.length === 0) this.byApp.delete(app);
    else this.byApp.set(app, [...hostnames]);
    for (const name of hostnames) {
      if (name.startsWith('*.')) this.wildcard.set(name.slice(2), app);
      else this.exact.set(name, app);
    }
    this.cache.clear();
  }

  setMaintenance(app: string, on: boolean): void {
    if (on) this.maintenance.add(app);
    else this.maintenance.delete(app);
  }

  /** The app a Host value routes to, or '' when none. */
  resolve(host: string): string {
    const cached = this.cache.get(host);
    if (cached !== undefined) return cached;
    const app = this.lookup(normalizeHost(host));
    if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
    this.cache.set(host, app);
    return app;
  }

  private lookup(name: string): string {
    if (name === '') return '';
    const custom = this.exact.get(name);
    if (custom !== undefined) return custom;
    if (name.endsWith(this.suffix)) {
      const label = name.slice(0, -this.suffix.length);
      if (APP_LABEL.test(label)) return label;
    }
    const dot = name.indexOf('.');
    return dot > 0 ? (this.wildcard.get(name.slice(dot + 1)) ?? '') : '';
  }
}

/** `Hello.Example.COM.:5000` -> `hello.example.com`; IP-literal hosts keep their brackets. */
export function normalizeHost(host: string): string {
  let name = host.toLowerCase();
  if (!name.startsWith('[')) {
    const colon = name.lastIndexOf(':');
    if (colon >= 0) {
      if (!/^\d{1,5}$/.test(name.slice(colon + 1))) return '';
      name = name.slice(0, colon);
    }
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  return name;
}

/** `localhost` and `*.localhost` (RFC 6761): never redirected to HTTPS nor given HSTS. */
export function isLocalName(host: string): boolean {
  const name = normalizeHost(host);
  return name === 'localhost' || name.endsWith('.localhost');
}
