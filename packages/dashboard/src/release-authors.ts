/** The API actions that make a release without a build (audit action names: the contract's route names). */
const RELEASING = new Set(['updateConfig', 'rollback', 'createAddon', 'destroyAddon', 'rotateAddonCredentials', 'attachAddon', 'detachAddon']);

interface AuditEvent {
  time: string;
  action: string;
  actor: { label: string };
  result: { status: number };
}

interface ReleaseRef {
  version: number;
  createdAt: string;
  /** `Deploy …` for a build's release (release-plan.ts); config, add-on and rollback releases keep the build id, so it cannot tell. */
  description: string;
}

/**
 * Who made each release, from the app's audit trail (dry runs are not in it; an event's time is
 * when the request was answered). A build's release comes after its upload (`createBuild` answers
 * at once): the latest upload before it, else the git push answered after it. Any other release
 * is made during its request: the first releasing request answered after it was created, each
 * request counted once. Unknown (absent) when the trail has none.
 */
export function releaseAuthors(releases: ReleaseRef[], events: AuditEvent[]): Map<number, string> {
  const ok = events.filter((e) => e.result.status < 300).map((e) => ({ at: Date.parse(e.time), who: e.actor.label, action: e.action })).sort((a, b) => a.at - b.at);
  const used = new Set<(typeof ok)[number]>();
  const authors = new Map<number, string>();
  for (const release of [...releases].sort((a, b) => a.version - b.version)) {
    const at = Date.parse(release.createdAt);
    const found = release.description.startsWith('Deploy ')
      ? ok.filter((e) => e.action === 'createBuild' && e.at <= at).pop() ?? ok.find((e) => e.action === 'gitReceivePack' && e.at >= at)
      : ok.find((e) => RELEASING.has(e.action) && e.at >= at - 1000 && !used.has(e));
    if (!found) continue;
    used.add(found);
    authors.set(release.version, found.who);
  }
  return authors;
}
