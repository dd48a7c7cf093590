import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Every regular file under `root` (links not followed). */
export function filesUnder(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const stat = lstatSync(path);
      if (stat.isDirectory()) walk(path);
      else if (stat.isFile()) found.push(path);
    }
  };
  walk(root);
  return found;
}

/** The files under `root` whose bytes contain `needle`: where a secret must never be. */
export function filesContaining(root: string, needle: string): string[] {
  return filesUnder(root).filter((file) => readFileSync(file).includes(needle));
}
