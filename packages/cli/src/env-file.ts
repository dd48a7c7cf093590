import { DozenError } from '@dozen/contracts/errors';

/** `.env` files (dotenv syntax), read by `dozen dev` and written by `config:pull` / `config:edit`. */

const KEY = /^[A-Za-z_][A-Za-z0-9_]*$/;
const ESCAPES: Record<string, string> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\', $: '$' };

/**
 * Parses a .env text: `KEY=value` lines, blank lines and `#` comments, an optional `export `,
 * unquoted values (trimmed, ` #` starts a comment), 'single' quotes (literal) and "double" quotes
 * (\n \r \t \" \\ \$ escapes); both quotes may span lines. A bad line throws ENV_FILE_INVALID naming
 * its line number, and nothing of the file is returned.
 */
export function parseEnvFile(text: string, file = '.env'): Record<string, string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const vars: Record<string, string> = {};
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    const line = (lines[i] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const bad = (why: string) => new DozenError('ENV_FILE_INVALID', `${file} line ${start + 1}: ${why}.`);
    const match = /^(?:export\s+)?([^=\s]+)\s*=\s*(.*)$/.exec(line);
    if (!match) throw bad(`${JSON.stringify(cut(line))} is not KEY=value`);
    const key = match[1] ?? '';
    if (!KEY.test(key)) throw bad(`${JSON.stringify(cut(key))} is not a variable name`);
    let rest = match[2] ?? '';
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      vars[key] = rest.replace(/(^|\s+)#.*$/, '').trim();
      continue;
    }
    // A quoted value: read on (over the next lines) until its closing quote.
    let body = rest.slice(1);
    let end = closingQuote(body, quote);
    while (end < 0 && i + 1 < lines.length) {
      i += 1;
      body += `\n${lines[i] ?? ''}`;
      end = closingQuote(body, quote);
    }
    if (end < 0) throw bad(`the ${quote === '"' ? 'double' : 'single'} quote of ${key} is never closed`);
    rest = body.slice(end + 1).trim();
    if (rest !== '' && !rest.startsWith('#')) throw bad(`unexpected ${JSON.stringify(cut(rest))} after the closing quote of ${key}`);
    const raw = body.slice(0, end);
    vars[key] = quote === '"' ? raw.replace(/\\(.)/gs, (all, c: string) => ESCAPES[c] ?? all) : raw;
  }
  return vars;
}

/** Index of the unescaped closing quote in `text`, or -1. */
function closingQuote(text: string, quote: string): number {
  for (let i = 0; i < text.length; i++) {
    if (quote === '"' && text[i] === '\\') i += 1;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function cut(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** KEY=value lines, sorted; values that need it in double quotes, so that parseEnvFile reads them back exactly. */
export function formatEnvFile(vars: Record<string, string>): string {
  return Object.keys(vars)
    .sort()
    .map((key) => `${key}=${quoteValue(vars[key] ?? '')}\n`)
    .join('');
}

function quoteValue(value: string): string {
  if (/^[A-Za-z0-9_./:@%+,=-]*$/.test(value)) return value;
  return `"${value.replace(/[\\"$\n\r\t]/g, (c) => ({ '\n': '\\n', '\r': '\\r', '\t': '\\t' })[c] ?? `\\${c}`)}"`;
}

export interface EnvDiff {
  set: Record<string, string>;
  unset: string[];
}

/** What changes `from` into `to`: the keys to set (new or changed values) and the keys to remove. */
export function diffEnv(from: Record<string, string>, to: Record<string, string>): EnvDiff {
  const set = Object.fromEntries(Object.entries(to).filter(([key, value]) => from[key] !== value));
  const unset = Object.keys(from).filter((key) => !Object.hasOwn(to, key)).sort();
  return { set, unset };
}

/** One line per change: `+ KEY` (new), `~ KEY` (changed), `- KEY` (removed); values are not shown. */
export function describeDiff(from: Record<string, string>, diff: EnvDiff): string[] {
  const set = Object.keys(diff.set).sort().map((key) => `${Object.hasOwn(from, key) ? '~' : '+'} ${key}`);
  return [...set, ...diff.unset.map((key) => `- ${key}`)];
}
