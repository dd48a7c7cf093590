/** The API actions that make a release (audit action names: the contract's route names). */
const RELEASING = new Set(['updateConfig', 'rollback', 'createBuild', 'gitReceivePack', 'createAddon', 'destroyAddon', 'rotateAddonCredentials', 'attachAddon', 'detachAddon']);

interface AuditEvent {
  time: string;
  action: string;
  actor: { label: string };
  params: Record<string, unknown>;
  result: { status: number };
}

/**
 * Who made each release, from the app's audit trail: the latest successful request that makes a
 * release (not a dry run) at or before the release's time. A build's release comes after its
 * upload, so the upload is that request. Unknown (null) when the trail has none.
 */
export function releaseAuthors(releases: { version: number; createdAt: string }[], events: AuditEvent[]): Map<number, string> {
  const made = events
    .filter((e) => RELEASING.has(e.action) && e.result.status < 300 && !isDryRun(e.params))
    .map((e) => ({ at: Date.parse(e.time), who: e.actor.label }))
    .sort((a, b) => a.at - b.at);
  const authors = new Map<number, string>();
  for (const release of releases) {
    const at = Date.parse(release.createdAt) + 1000;
    const before = made.filter((e) => e.at <= at);
    const last = before[before.length - 1];
    if (last) authors.set(release.version, last.who);
  }
  return authors;
}

function isDryRun(params: Record<string, unknown>): boolean {
  const query = params.query as Record<string, unknown> | undefined;
  return query?.dryRun === true || query?.dryRun === 'true';
}
