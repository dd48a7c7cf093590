import { DozenError } from '@dozen/contracts/errors';

export function print(text = ''): void {
  process.stdout.write(`${text}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** ` !    message` and the hint on stderr, as Heroku's CLI does. */
export function printError(error: unknown, verbose: boolean): void {
  const known = error instanceof DozenError ? error : null;
  const message = known ? known.message : error instanceof Error ? error.message : String(error);
  const lines = [` !    ${message}`];
  if (known?.hint) lines.push(` !    ${known.hint}`);
  if (known) lines.push(` !    (${known.code}${requestIdOf(known)})`);
  process.stderr.write(`${lines.join('\n')}\n`);
  if (verbose && error instanceof Error && error.stack) process.stderr.write(`${error.stack}\n`);
}

function requestIdOf(error: DozenError): string {
  const details = error.details as { requestId?: string } | undefined;
  return details?.requestId ? `, request ${details.requestId}` : '';
}

/** Plain aligned columns; no borders, easy to grep. */
export function table(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  ')).join('\n');
}

export function ago(iso: string | null, now = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.round(seconds / 60)}m ago`;
  if (seconds < 86400) return `${Math.round(seconds / 3600)}h ago`;
  return `${Math.round(seconds / 86400)}d ago`;
}
