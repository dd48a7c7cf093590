/** The head of a CGI response: `Status:` and the other header lines, up to the blank line. */
export interface CgiHead {
  status: number;
  headers: Record<string, string>;
  /** Where the body starts in the buffer that was parsed. */
  bodyStart: number;
}

/** Headers that belong to one HTTP hop; the server sets its own. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'content-length']);

/** Parses the head once the buffer holds all of it; null while more is needed. */
export function parseCgiHead(buffer: Buffer): CgiHead | null {
  const crlf = buffer.indexOf('\r\n\r\n');
  const lf = buffer.indexOf('\n\n');
  const end = crlf >= 0 && (lf < 0 || crlf < lf) ? { at: crlf, length: 4 } : lf >= 0 ? { at: lf, length: 2 } : null;
  if (!end) return null;
  let status = 200;
  const headers: Record<string, string> = {};
  for (const line of buffer.subarray(0, end.at).toString('latin1').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const value = line.slice(colon + 1).trim();
    if (name === 'status') status = Number.parseInt(value, 10) || 500;
    else if (!HOP_BY_HOP.has(name)) headers[name] = value;
  }
  return { status, headers, bodyStart: end.at + end.length };
}
