import type { CheckResult } from './scorecard/check.js';
import { DozenError } from '@dozen/contracts/errors';
import { applyAttachmentVars } from './attachment-vars.js';
import { applyConfigChanges } from './config-vars.js';
import { defaultStrategy, type ObservedRuntime } from './formation-plan.js';
import { shortCommit } from './git-refs.js';
import type { Addon, AddonAttachment, App, AppManifest, AppUser, ConfigVars, Formation, ProcessTypes, Release, Slug } from './model.js';
import type { ReleaseState } from './ports/releases-store.js';
import type { RunTarget } from './ports/runtime.js';
import { previewRollout, type PlannedAction } from './rollout-preview.js';
import { withManifestSizes } from './process-sizes.js';
import { applyAppJsonEnv } from './app-json-env.js';

/**
 * A change that makes a release. Every path to a new release (deploy, config, add-ons, rollback,
 * promotion) is one of these, planned by `planRelease` and applied by one executor.
 */
export type ReleaseChange =
  /** A build finished: its slug, with the current config (plus app.json `env` defaults). */
  | { kind: 'build'; slug: Slug; buildId: string | null; commit: string | null; review?: boolean; /** Its static scorecard results: the app's policy is enforced on them before the release is made. */ checks?: CheckResult[] }
  /** config:set / config:unset: string sets, null unsets. */
  | { kind: 'config'; changes: Record<string, string | null> }
  | { kind: 'attach'; attachment: AddonAttachment; addon: Addon }
  | { kind: 'detach'; attachment: AddonAttachment; description: string }
  /** An earlier release's slug and config; add-ons are not rolled back (Heroku). */
  | { kind: 'rollback'; to: Release }
  /** The same slug and config with the attachments as they are now (an add-on URL changed). */
  | { kind: 'refresh'; description: string }
  /**
   * A pipeline promotion: the slug of `from`'s release (copied for this app, same digest) with
   * this app's own config (plus app.json `env` defaults) and add-ons; nothing is built.
   */
  | { kind: 'promote'; slug: Slug; from: { app: string; version: number; commit: string | null } };

/** The release a plan makes, before it has an id and a creation time. */
export type PlannedRelease = Pick<Release, 'appId' | 'version' | 'slugId' | 'buildId' | 'config' | 'description' | 'addonVars' | 'commit'>;

export interface ReleasePlan {
  app: App;
  release: PlannedRelease;
  /** Config vars the release adds or changes (`set`) and removes (`unset`), against the current one. */
  configChanged: { set: string[]; unset: string[] };
  /** What the runtime is to run; null: no slug, nothing runs. */
  target: RunTarget | null;
  /** The formation to store when it changed (new process types get their defaults); else null. */
  formation: Formation | null;
  /** The release phase command (Procfile `release`), run before the release serves. */
  releasePhase: string | null;
  /** The attachment to insert or delete with the release (taken back if the release fails). */
  attachment: { insert: AddonAttachment } | { delete: AddonAttachment } | null;
  /** The rollout, step by step (dry runs; empty without an observed runtime). */
  steps: PlannedAction[][];
}

export interface PlanOptions {
  /** What the runtime runs now; without it the plan has no steps. */
  observed?: ObservedRuntime;
  /** A new secret for app.json `"generator": "secret"`. */
  secret(): string;
}

/**
 * Pure: the next release and its rollout from the app's state and one change, or null when the
 * change leaves everything as it is (a config:set of the values already set).
 */
export function planRelease(change: ReleaseChange, state: ReleaseState, options: PlanOptions): ReleasePlan | null {
  const next = nextRelease(change, state, options);
  if (!next) return null;
  const attached = attachedAfter(change, state);
  const stale = [...(state.current?.addonVars ?? []), ...(change.kind === 'rollback' ? (change.to.addonVars ?? []) : [])];
  const config = applyAttachmentVars(next.config, stale, attached);
  const release: PlannedRelease = {
    appId: state.app.id,
    version: state.latestVersion + 1,
    slugId: next.slugId,
    buildId: next.buildId,
    config,
    description: next.description,
    addonVars: Object.keys(attached).sort(),
    commit: next.commit,
  };
  const target = runTarget(state, release, next.slug);
  const formationChanged = target !== null && !sameVars(target.formation, state.formation);
  return {
    app: state.app,
    release,
    configChanged: diffConfig(state.current?.config ?? {}, config),
    target,
    formation: formationChanged ? (target as RunTarget).formation : null,
    releasePhase: target?.processTypes.release ?? null,
    attachment: change.kind === 'attach' ? { insert: change.attachment } : change.kind === 'detach' ? { delete: change.attachment } : null,
    steps: target && options.observed ? rolloutSteps(target, options.observed) : [],
  };
}

interface NextRelease {
  slugId: string | null;
  /** The slug itself, when the store has it. */
  slug: Slug | undefined;
  buildId: string | null;
  config: ConfigVars;
  description: string;
  commit: string | null;
}

function nextRelease(change: ReleaseChange, state: ReleaseState, options: PlanOptions): NextRelease | null {
  const current = state.current;
  const same = { slugId: current?.slugId ?? null, slug: state.slug, buildId: current?.buildId ?? null, config: current?.config ?? {}, commit: current?.commit ?? null };
  switch (change.kind) {
    case 'build': {
      const { config, applied } = applyAppJsonEnv(current?.config ?? {}, change.review ? reviewManifest(change.slug) : manifestOf(change.slug), options.secret);
      const note = applied.length > 0 ? ` (app.json set ${applied.join(', ')})` : '';
      const source = change.commit ? shortCommit(change.commit) : (change.buildId?.slice(0, 8) ?? 'a new build');
      return { slugId: change.slug.id, slug: change.slug, buildId: change.buildId, config, description: `Deploy ${source}${note}`, commit: change.commit };
    }
    case 'config': {
      refuseAttachedKeys(state, Object.keys(change.changes));
      const config = applyConfigChanges(same.config, change.changes);
      if (sameVars(same.config, config)) return null;
      return { ...same, config, description: describeConfigChange(change.changes) };
    }
    case 'attach':
      assertAttachmentNameFree(state, change.attachment.name);
      return { ...same, description: `Attach ${change.addon.name} as ${change.attachment.name}` };
    case 'detach':
    case 'refresh':
      return { ...same, description: change.description };
    case 'rollback':
      return { slugId: change.to.slugId, slug: state.slug, buildId: change.to.buildId, config: change.to.config, description: `Rollback to v${change.to.version}`, commit: change.to.commit };
    case 'promote': {
      const { config, applied } = applyAppJsonEnv(same.config, manifestOf(change.slug), options.secret);
      const note = applied.length > 0 ? ` (app.json set ${applied.join(', ')})` : '';
      const description = `Promote from ${change.from.app} v${change.from.version}${note}`;
      return { slugId: change.slug.id, slug: change.slug, buildId: null, config, description, commit: change.from.commit };
    }
  }
}

/** The vars the app's attachments set once the change is made: attachment name -> add-on URL. */
function attachedAfter(change: ReleaseChange, state: ReleaseState): ConfigVars {
  const vars: ConfigVars = {};
  for (const { attachment, url } of state.attachments) {
    if (change.kind === 'detach' && attachment.id === change.attachment.id) continue;
    vars[attachment.name] = url;
  }
  if (change.kind === 'attach') vars[change.attachment.name] = change.addon.url;
  return vars;
}

function runTarget(state: ReleaseState, release: PlannedRelease, slug: Slug | undefined): RunTarget | null {
  if (!slug) return null;
  return {
    app: state.app.name,
    appId: state.app.id,
    release: release.version,
    slugId: slug.id,
    config: release.config,
    addonVars: release.addonVars ?? [],
    processTypes: slug.processTypes,
    formation: withDefaultQuantities(state.formation, slug.processTypes, slug.manifest?.formation),
    runtime: slug.runtime,
    user: state.user ?? NO_USER,
    settings: withManifestSizes(state.settings, slug.manifest?.sizes),
  };
}

/** Only in a dry run of an app's first deploy: its user is allocated by the build itself. */
const NO_USER: AppUser = { uid: 0, gid: 0 };

function rolloutSteps(target: RunTarget, observed: ObservedRuntime): PlannedAction[][] {
  const desired = { release: target.release, processTypes: target.processTypes, formation: target.formation, generations: observed.generations };
  return previewRollout(desired, observed.processes, (type) => target.settings?.[type]?.strategy ?? defaultStrategy(type));
}

/**
 * Heroku's defaults for process types a release brings that the formation does not know yet:
 * one web process, none of the others, unless app.json `formation` gives a quantity.
 */
export function withDefaultQuantities(formation: Formation, processTypes: ProcessTypes, defaults: Formation = {}): Formation {
  const next = { ...formation };
  for (const type of Object.keys(processTypes)) {
    // `release` is the release phase: it never runs as a formation process.
    if (!Object.hasOwn(next, type)) next[type] = type === 'release' ? 0 : (defaults[type] ?? (type === 'web' ? 1 : 0));
  }
  return next;
}

function manifestOf(slug: Slug): AppManifest {
  return slug.manifest ?? { env: {}, formation: {}, postdeploy: null };
}

/** A review app's build: app.json `environments.review.env` over `env` (Heroku). */
function reviewManifest(slug: Slug): AppManifest {
  const manifest = manifestOf(slug);
  return { ...manifest, env: { ...manifest.env, ...manifest.reviewEnv } };
}

/** A var that an attachment sets is the add-on's, not the user's (Heroku refuses it too). */
function refuseAttachedKeys(state: ReleaseState, keys: string[]): void {
  const taken = state.attachments.find((a) => keys.includes(a.attachment.name));
  if (!taken) return;
  throw new DozenError('CONFIG_VAR_ATTACHED', `${taken.attachment.name} is set by the add-on ${taken.addonName}; it cannot be changed with config:set or config:unset.`, {
    hint: `Detach it first (\`dozen addons:detach ${taken.attachment.name}\`), or attach the add-on under another name.`,
  });
}

/** Never silently over a var the user set, nor over another attachment. */
export function assertAttachmentNameFree(state: ReleaseState, name: string): void {
  const taken = state.attachments.find((a) => a.attachment.name === name);
  if (taken) {
    throw new DozenError('ADDON_ATTACHMENT_NAME_TAKEN', `${state.app.name} already has ${name}: it is the attachment of ${taken.addonName}.`);
  }
  const attachedKeys = state.current?.addonVars ?? [];
  if (Object.hasOwn(state.current?.config ?? {}, name) && !attachedKeys.includes(name)) {
    throw new DozenError('ADDON_ATTACHMENT_NAME_TAKEN', `${state.app.name} already has a config var ${name} (set with config:set); attaching would silently replace it.`);
  }
}

function describeConfigChange(changes: Record<string, string | null>): string {
  const set = Object.keys(changes).filter((k) => changes[k] !== null);
  const unset = Object.keys(changes).filter((k) => changes[k] === null);
  const parts = [];
  if (set.length > 0) parts.push(`Set ${set.join(', ')} config vars`);
  if (unset.length > 0) parts.push(`Unset ${unset.join(', ')} config vars`);
  return parts.join('; ');
}

function diffConfig(before: ConfigVars, after: ConfigVars): { set: string[]; unset: string[] } {
  const set = Object.keys(after).filter((key) => before[key] !== after[key] || !Object.hasOwn(before, key));
  const unset = Object.keys(before).filter((key) => !Object.hasOwn(after, key));
  return { set: set.sort(), unset: unset.sort() };
}

function sameVars(a: Record<string, string | number>, b: Record<string, string | number>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && a[k] === b[k]);
}
