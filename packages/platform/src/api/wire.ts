import type * as Wire from '@dozen/contracts';
import { formatLogTime } from '../core/log-time.js';
import { domainKind } from '../core/domain-names.js';
import type { CertificateView } from '../core/use-cases/certs.js';
import type { DrainView } from '../core/use-cases/drains.js';
import type { AddonView } from '../core/use-cases/addon-views.js';
import type { App, Build, Domain, LogHistoryStats, LogRecord, ProcessStatus, Release } from '../core/model.js';

/** Domain -> wire shapes. The only place that knows both. */
export function toWireApp(app: App): Wire.App {
  return { id: app.id, name: app.name, createdAt: app.createdAt, currentRelease: app.currentRelease };
}

export function toWireBuild(appName: string, build: Build): Wire.Build {
  return {
    id: build.id,
    app: appName,
    status: build.status,
    buildpack: build.buildpack,
    release: build.release,
    error: build.error,
    createdAt: build.createdAt,
    finishedAt: build.finishedAt,
    slug: build.slugId,
    phases: build.phases ?? [],
    warnings: build.warnings ?? [],
    commit: build.commit,
  };
}

export function toWireBuildpacks(urls: string[]): Wire.Buildpack[] {
  return urls.map((url, i) => ({ ordinal: i + 1, url }));
}

export function toWireRelease(app: App, release: Release): Wire.Release {
  return {
    version: release.version,
    app: app.name,
    description: release.description,
    status: release.status,
    current: app.currentRelease === release.version,
    slug: release.slugId,
    build: release.buildId,
    failure: release.failure,
    createdAt: release.createdAt,
    commit: release.commit,
  };
}

export function toWireProcess(process: ProcessStatus): Wire.ProcessInfo {
  const { id: _id, ...rest } = process;
  return rest;
}

export function toWireLogLine(record: LogRecord): Wire.LogLine {
  return { id: String(record.id), time: formatLogTime(record.timeMicros), source: record.source, process: record.process, message: record.message };
}

export function toWireLogStats(stats: LogHistoryStats): Wire.LogStats {
  return { ...stats, firstId: stats.firstId === null ? null : String(stats.firstId), lastId: stats.lastId === null ? null : String(stats.lastId) };
}

export function toWireDrain(view: DrainView): Wire.Drain {
  return { id: view.drain.id, url: view.maskedUrl, kind: view.kind, createdAt: view.drain.createdAt, ...view.stats };
}

/** Never the URL: credentials are shown by `config`, as the app's config, and nowhere else. */
export function toWireAddon(view: AddonView): Wire.Addon {
  const { addon } = view;
  return { name: addon.name, provider: addon.provider, plan: addon.plan, app: view.owner, attachments: view.attachments, createdAt: addon.createdAt };
}

export function toWireDomain(domain: Domain): Wire.Domain {
  return { hostname: domain.hostname, kind: domainKind(domain.hostname), createdAt: domain.createdAt };
}

export function toWireCertificate({ certificate: c, domains }: CertificateView): Wire.Certificate {
  return {
    name: c.name, source: c.source, domains, names: c.names, subject: c.subject, issuer: c.issuer, notBefore: c.notBefore, notAfter: c.notAfter,
    fingerprint: c.fingerprint, chainLength: c.chainLength, createdAt: c.createdAt, updatedAt: c.updatedAt,
  };
}
