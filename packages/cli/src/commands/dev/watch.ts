import { watch, type FSWatcher } from 'node:fs';
import { sep } from 'node:path';

/** Paths `--watch` never reacts to: dependencies, git's own files, the build output of `dozen dev --build`. */
const IGNORED = new Set(['node_modules', '.git', '.dozen']);

export function isIgnored(relativePath: string): boolean {
  return relativePath.split(/[\\/]/).some((part) => IGNORED.has(part)) || relativePath.endsWith('~') || /(^|[\\/])\.#/.test(relativePath);
}

/**
 * Calls `onChange` once per burst of changes under `dir` (`debounceMs` after the last), with
 * one of the changed paths. fs.watch recursive (Linux with Node >= 20, macOS, Windows).
 */
export function watchTree(dir: string, debounceMs: number, onChange: (path: string) => void): { close(): void } {
  let timer: NodeJS.Timeout | null = null;
  let last = '';
  const watcher: FSWatcher = watch(dir, { recursive: true }, (_event, name) => {
    const path = name === null ? '' : name.toString();
    if (path !== '' && isIgnored(path)) return;
    last = path;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      onChange(last || dir + sep);
    }, debounceMs);
  });
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
