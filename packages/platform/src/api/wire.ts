import type * as Wire from '@dozen/contracts';
import { formatLogTime } from '../core/log-time.js';
import type { App, Build, LogRecord, ProcessStatus, Release } from '../core/model.js';

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
    commit: build.commit,
  };
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
  return { id: record.id, time: formatLogTime(record.timeMicros), source: record.source, process: record.process, message: record.message };
}
