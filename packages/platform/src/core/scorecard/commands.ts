import { parseProcfile } from '../procfile.js';
import type { ProcessTypes } from '../model.js';
import { packageJson, textOf, type SourceSnapshot } from './source-snapshot.js';

/** A command the app runs: a Procfile line or a package.json script, named for evidence. */
export interface AppCommand {
  /** `Procfile web` or `package.json scripts.build`. */
  where: string;
  command: string;
}

/** The Procfile's process types; null when there is no Procfile, {} when it does not parse. */
export function procfileTypes(snapshot: SourceSnapshot): ProcessTypes | null {
  const text = textOf(snapshot, 'Procfile');
  if (text === null) return null;
  try {
    return parseProcfile(text);
  } catch {
    return {};
  }
}

export function procfileCommands(snapshot: SourceSnapshot): AppCommand[] {
  return Object.entries(procfileTypes(snapshot) ?? {}).map(([type, command]) => ({ where: `Procfile ${type}`, command }));
}

export function scriptCommands(snapshot: SourceSnapshot): AppCommand[] {
  const scripts = packageJson(snapshot)?.scripts ?? {};
  return Object.entries(scripts)
    .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    .map(([name, command]) => ({ where: `package.json scripts.${name}`, command }));
}

/** What `web` runs: the Procfile's, else `npm start`'s script. */
export function webCommand(snapshot: SourceSnapshot): AppCommand | null {
  const types = procfileTypes(snapshot);
  if (types?.web) return { where: 'Procfile web', command: types.web };
  const start = packageJson(snapshot)?.scripts?.start;
  return typeof start === 'string' ? { where: 'package.json scripts.start', command: start } : null;
}

/** The command with the scripts it runs (`npm run migrate`, `npm start`) expanded once. */
export function expanded(snapshot: SourceSnapshot, command: string): string {
  const scripts = packageJson(snapshot)?.scripts ?? {};
  return command.replace(/\b(?:npm|yarn|pnpm)\s+(?:run(?:-script)?\s+)?([\w:.-]+)/g, (whole, name: string) => {
    const script = scripts[name === 'start' || name === 'run' ? 'start' : name];
    return typeof script === 'string' ? `${whole} (${script})` : whole;
  });
}

/** The simple commands of a shell line: split on &&, ||, ;, |, with leading VAR=x assignments dropped. */
export function simpleCommands(line: string): string[][] {
  return line
    .split(/&&|\|\||;|\||\n/)
    .map((part) => part.trim().replace(/^[({]+\s*/, '').replace(/\s*[)}]+$/, '').split(/\s+/).filter((word) => word !== ''))
    .map((words) => {
      let i = 0;
      while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!)) i += 1;
      if (words[i] === 'exec') i += 1;
      return words.slice(i);
    })
    .filter((words) => words.length > 0);
}
