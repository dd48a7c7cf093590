import type { AddonChange } from '@dozen/contracts';

/** "Attached as DATABASE_URL; released v3." for the app the change was made on. */
export function describeChange(app: string, change: AddonChange): string {
  const names = change.addon.attachments.filter((a) => a.app === app).map((a) => a.name);
  const attached = names.length > 0 ? `${change.addon.name} is attached to ${app} as ${names.join(', ')}` : `${change.addon.name} is not attached to ${app}`;
  return `${attached}; ${change.release ? `released v${change.release.version}` : 'no new release'}.`;
}
