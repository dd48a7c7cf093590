import type { Migration, MigrationProvider } from 'kysely';
import * as initial from './001-initial.js';
import * as slugRuntime from './002-slug-runtime.js';
import * as builds from './003-builds.js';
import * as runtime from './004-runtime.js';
import * as domains from './005-domains.js';
import * as drains from './006-drains.js';
import * as git from './007-git.js';
import * as addons from './008-addons.js';
import * as processSizes from './009-process-sizes.js';
import * as teams from './010-teams.js';
import * as secrets from './011-secrets.js';
import * as audit from './012-audit.js';
import * as certificates from './013-certificates.js';
import * as acme from './014-acme.js';
import * as slugCollected from './015-slug-collected.js';
import * as pipelines from './016-pipelines.js';
import * as cronMaintenance from './017-cron-maintenance.js';
import * as scorecard from './018-scorecard.js';
import * as releaseEvidence from './019-release-evidence.js';
import * as clusterEvents from './020-cluster-events.js';
import * as buildJobs from './021-build-jobs.js';

/**
 * Migrations are code, compiled with the platform: no file scanning at run time. Names are
 * `NNN-topic`; they run in name order, once each.
 */
const all: Record<string, Migration> = {
  '001-initial': initial,
  '002-slug-runtime': slugRuntime,
  '003-builds': builds,
  '004-runtime': runtime,
  '005-domains': domains,
  '006-drains': drains,
  '007-git': git,
  '008-addons': addons,
  '009-process-sizes': processSizes,
  '010-teams': teams,
  '011-secrets': secrets,
  '012-audit': audit,
  '013-certificates': certificates,
  '014-acme': acme,
  '015-slug-collected': slugCollected,
  '016-pipelines': pipelines,
  '017-cron-maintenance': cronMaintenance,
  '018-scorecard': scorecard,
  '019-release-evidence': releaseEvidence,
  '020-cluster-events': clusterEvents,
  '021-build-jobs': buildJobs,
};

export const migrations: MigrationProvider = { getMigrations: async () => all };

/** The names of every migration this platform has, in order (the last is its schema version). */
export const migrationNames: readonly string[] = Object.keys(all).sort();
