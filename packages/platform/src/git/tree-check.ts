/** One line of `git ls-tree -r -t -z`: `<mode> <type> <object>\t<path>`. */
export interface TreeEntry {
  mode: string;
  type: string;
  path: string;
}

export function parseLsTree(output: Buffer): TreeEntry[] {
  const entries: TreeEntry[] = [];
  for (const record of output.toString('utf8').split('\0')) {
    if (record === '') continue;
    const tab = record.indexOf('\t');
    const [mode = '', type = ''] = record.slice(0, tab).split(' ');
    entries.push({ mode, type, path: record.slice(tab + 1) });
  }
  return entries;
}

/**
 * What Dozen will not deploy from a pushed tree, named: a submodule (a gitlink entry or a
 * .gitmodules file: Dozen never fetches other repositories) or a `.git` directory inside it.
 */
export function unsupportedEntry(entries: TreeEntry[]): string | null {
  const submodule = entries.find((entry) => entry.type === 'commit' || entry.mode === '160000');
  if (submodule) return `${JSON.stringify(submodule.path)} is a submodule`;
  if (entries.some((entry) => entry.path === '.gitmodules')) return 'it has a .gitmodules file (submodules)';
  const nested = entries.find((entry) => entry.path.split('/').some((part) => part.toLowerCase() === '.git'));
  return nested ? `${JSON.stringify(nested.path)} is inside a .git directory` : null;
}
