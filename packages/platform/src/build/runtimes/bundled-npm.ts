import semver from 'semver';

const ANCHOR = /<a id="(\d+\.\d+\.\d+)"><\/a>/g;
const NPM_UPGRADE = /\b(?:upgrade|update)d?\s+npm\s+to\s+v?(\d+\.\d+\.\d+)\b/gi;

/**
 * The npm that ships with a Node.js release, read from the CHANGELOG.md of its `node-linux-<arch>`
 * package (the release line's changelog, one `<a id="X.Y.Z">` section per release): the newest
 * "upgrade npm to N" of that release, else of the closest release before it. Null when the
 * changelog does not have the release or names no npm at or before it.
 */
export function bundledNpmVersion(changelog: string, nodeVersion: string): string | null {
  const anchors = [...changelog.matchAll(ANCHOR)];
  const sections = anchors.map((match, i) => ({ version: match[1] as string, text: changelog.slice(match.index, anchors[i + 1]?.index ?? changelog.length) }));
  if (!sections.some((s) => s.version === nodeVersion)) return null;
  const earlier = sections.filter((s) => semver.lte(s.version, nodeVersion)).sort((a, b) => semver.rcompare(a.version, b.version));
  for (const section of earlier) {
    const named = [...section.text.matchAll(NPM_UPGRADE)].map((m) => m[1] as string).filter((v) => semver.valid(v) !== null);
    if (named.length > 0) return named.sort(semver.rcompare)[0] as string;
  }
  return null;
}
