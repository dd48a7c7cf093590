import type { PackageJson } from '../package-json.js';

/**
 * What the static checks read: the source tree as the build received it, before any build
 * command ran (so a committed node_modules is still seen). Bounded by whoever takes it: large and
 * binary files are listed without their text, and `notes` says what was left out.
 */
export interface SourceFile {
  /** Relative, `/`-separated (`lib/db.js`). */
  path: string;
  /** Null: not read (over the size limit, binary, or past the file cap). */
  text: string | null;
}

export interface SourceSnapshot {
  files: SourceFile[];
  /** Directories named node_modules found in the source (not descended into). */
  vendored: string[];
  /** What the scan left out (`scanned 2000 files of more (cap)`), shown as evidence. */
  notes: string[];
}

/** What the checks know besides the source: the commit, and production's config (add-on URLs). */
export interface CheckContext {
  commit: string | null;
  config: Record<string, string>;
}

export const CODE_FILE = /\.(?:[cm]?js|jsx|[cm]?ts|tsx)$/;
export const MAX_EVIDENCE = 10;

export function textOf(snapshot: SourceSnapshot, path: string): string | null {
  return snapshot.files.find((file) => file.path === path)?.text ?? null;
}

export function hasFile(snapshot: SourceSnapshot, path: string): boolean {
  return snapshot.files.some((file) => file.path === path);
}

export function hasDir(snapshot: SourceSnapshot, dir: string): boolean {
  return snapshot.files.some((file) => file.path.startsWith(`${dir}/`));
}

/** The app's package.json, parsed; null when absent or not JSON. */
export function packageJson(snapshot: SourceSnapshot): PackageJson | null {
  const text = textOf(snapshot, 'package.json');
  if (text === null) return null;
  try {
    const parsed = JSON.parse(text) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as PackageJson) : null;
  } catch {
    return null;
  }
}

export type { PackageJson };

/** Every code file with its text, outside test and vendored directories. */
export function codeFiles(snapshot: SourceSnapshot): Array<{ path: string; text: string }> {
  return snapshot.files.filter((f): f is { path: string; text: string } => f.text !== null && CODE_FILE.test(f.path) && !/(^|\/)(test|tests|__tests__|spec)\//.test(f.path));
}

/** Lines of every file matching `pattern`, as `file:line: text` evidence (capped). */
export function matchingLines(files: Array<{ path: string; text: string }>, pattern: RegExp, describe: (line: string) => string | null = (line) => line.trim()): string[] {
  const found: string[] = [];
  for (const file of files) {
    file.text.split('\n').forEach((line, i) => {
      if (!pattern.test(line)) return;
      const said = describe(line);
      if (said !== null) found.push(`${file.path}:${i + 1}: ${said.slice(0, 160)}`);
    });
  }
  return found;
}

/** Evidence capped at MAX_EVIDENCE lines, the rest counted. */
export function capped(lines: string[]): string[] {
  if (lines.length <= MAX_EVIDENCE) return lines;
  return [...lines.slice(0, MAX_EVIDENCE), `… and ${lines.length - MAX_EVIDENCE} more`];
}
