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
  for (const entry of entries) {
    const name = JSON.stringify(entry.path);
    if (entry.type === 'commit' || entry.mode === '160000') return `${name} is a submodule`;
    if (entry.path === '.gitmodules') return `it has a .gitmodules file (submodules)`;
    if (entry.path.split('/').some((part) => part.toLowerCase() === '.git')) return `${name} is inside a .git directory`;
  }
  return null;
}
