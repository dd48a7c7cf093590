/**
 * Byte classes of HTTP/1.1 (RFC 9110 §5.6, RFC 9112), as lookup tables: the parsers test one
 * byte with one array read.
 */

export const CR = 13;
export const LF = 10;
export const SP = 32;
export const HTAB = 9;
export const COLON = 58;

function table(accept: (byte: number) => boolean): Uint8Array {
  const t = new Uint8Array(256);
  for (let b = 0; b < 256; b++) t[b] = accept(b) ? 1 : 0;
  return t;
}

const DELIMITERS = '"(),/:;<=>?@[\\]{}';

/** tchar: what a method, a field name or a transfer coding may be made of. */
export const TCHAR = table((b) => b > 32 && b < 127 && !DELIMITERS.includes(String.fromCharCode(b)));

/** A request-target: visible ASCII only (no space, no control, no obs-text). */
export const TARGET_CHAR = table((b) => b > 32 && b < 127);

/** field-value: VCHAR, obs-text, SP and HTAB. Every other control byte (CR, LF, NUL...) is refused. */
export const FIELD_CHAR = table((b) => b === HTAB || (b >= 32 && b !== 127));

/** A Host value: reg-name, IPv4 or [IPv6], with an optional :port (RFC 3986 characters). */
export const HOST_CHAR = table((b) => /[A-Za-z0-9\-._~!$&'()*+,;=%:[\]]/.test(String.fromCharCode(b)));

export const HEX_VALUE = (() => {
  const t = new Int8Array(256).fill(-1);
  for (let b = 0; b < 256; b++) {
    const c = String.fromCharCode(b);
    if (/[0-9a-fA-F]/.test(c)) t[b] = parseInt(c, 16);
  }
  return t;
})();

/**
 * True when `buf[start..start+name.length)` equals `name` ignoring ASCII case. `name` must be
 * lowercase. Used to classify header names without allocating strings.
 */
export function equalsLower(buf: Uint8Array, start: number, length: number, name: string): boolean {
  if (length !== name.length) return false;
  for (let i = 0; i < length; i++) {
    let b = buf[start + i] as number;
    if (b >= 65 && b <= 90) b += 32;
    if (b !== name.charCodeAt(i)) return false;
  }
  return true;
}

/** Index of the first CRLFCRLF at or after `from`, or -1. */
export function findHeadEnd(buf: Buffer, from: number): number {
  const at = buf.indexOf('\r\n\r\n', from, 'latin1');
  return at < 0 ? -1 : at + 4;
}

/** Splits a comma-separated header value into lowercase, trimmed, non-empty tokens. */
export function lowerTokens(value: string): string[] {
  const out: string[] = [];
  for (const part of value.split(',')) {
    const token = part.trim().toLowerCase();
    if (token !== '') out.push(token);
  }
  return out;
}
