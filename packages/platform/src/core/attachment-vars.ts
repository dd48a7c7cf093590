import type { ConfigVars } from './model.js';

/**
 * Pure: the config of a release with the add-on attachments applied. Keys that attachments set in
 * an earlier release (`stale`) are dropped first, so that a detached add-on's URL does not linger
 * as if the user had set it; then every current attachment sets its var.
 */
export function applyAttachmentVars(config: ConfigVars, stale: readonly string[], attached: ConfigVars): ConfigVars {
  const next: ConfigVars = {};
  for (const [key, value] of Object.entries(config)) if (!stale.includes(key)) next[key] = value;
  return { ...next, ...attached };
}
