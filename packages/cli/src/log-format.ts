import type { LogLine } from '@dozen/contracts';
import { showControlChars as visible } from './control-chars.js';

const COLORS = [36, 33, 32, 35, 34, 91, 92, 93, 94, 95, 96];
/** SGR (colour) sequences: the only escapes replayed, and only to a terminal that wants colour. */
const SGR = /(\x1b\[[0-9;:]*m)/;

/**
 * Heroku's shape: `2026-11-24T20:15:03.123456+00:00 app[web.1]: message`, a colour per process
 * on a terminal. Escapes stay in the data; here they are made harmless: without colour every
 * control character is shown as `\xNN`; with colour, SGR colours pass and the rest is shown.
 */
export function formatLogLine(color: boolean): (line: LogLine) => string {
  const assigned = new Map<string, number>();
  return (line) => {
    const tag = line.source === 'router' ? 'dozen[router]' : `${line.source}[${line.process}]`;
    const message = color ? line.message.split(SGR).map((part, i) => (i % 2 === 1 ? part : visible(part))).join('') + '\x1b[0m' : visible(line.message);
    if (!color) return `${line.time} ${tag}: ${message}`;
    if (!assigned.has(tag)) assigned.set(tag, COLORS[assigned.size % COLORS.length] as number);
    return `\x1b[${assigned.get(tag)}m${line.time} ${tag}:\x1b[0m ${message}`;
  };
}
