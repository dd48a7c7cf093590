import { COLON, CR, equalsLower, FIELD_CHAR, HTAB, LF, lowerTokens, SP, TCHAR } from './http-syntax.js';
import { Fate, type HeadLimits } from './request-head.js';

/** How the response body is delimited, once the head is read. */
export type ResponseBody = 'none' | 'length' | 'chunked' | 'close' | 'tunnel';

/**
 * A parsed response head of an app. Header lines stay in `buf` as [start, end, fate] triples in
 * `lines`, which the next parse reuses: the head is turned into the client's at once.
 */
export interface ResponseHead {
  buf: Buffer;
  status: number;
  /** Where the status code starts: the client's status line is `HTTP/1.1 ` plus the rest. */
  codeStart: number;
  statusLineEnd: number;
  body: ResponseBody;
  contentLength: number;
  /** The app lets the router reuse the connection after this response. */
  reusable: boolean;
  /** Lowercase names the app's Connection header lists (to drop), or null. */
  connectionNames: string[] | null;
  lines: number[];
}

/**
 * Parses an app's response head in `buf[start, end)` (ending with CRLFCRLF) as strictly as a
 * request: an app that frames its response ambiguously gets a 502, not a guess. Returns a reason
 * string when the head is invalid.
 */
const LINES: number[] = [];
const FIELDS: ResponseFields = { cl: 0, clValue: -1, te: 0, teValue: '', connection: '' };

export function parseResponseHead(buf: Buffer, start: number, end: number, method: string, limits: HeadLimits): ResponseHead | string {
  if (end - start > limits.maxHeadBytes) return 'response head too large';
  const line = parseStatusLine(buf, start, end);
  if (line < 0) return 'malformed status line';
  LINES.length = 0;
  const head: ResponseHead = { buf, status: line, codeStart: start + 9, statusLineEnd: 0, body: 'none', contentLength: 0, reusable: buf[start + 7] === 49, connectionNames: null, lines: LINES };
  head.statusLineEnd = buf.indexOf(CR, start);
  const fields = FIELDS;
  fields.cl = 0;
  fields.clValue = -1;
  fields.te = 0;
  fields.teValue = '';
  fields.connection = '';
  let i = head.statusLineEnd + 2;
  while (i < end - 2) {
    const lineStart = i;
    if (buf[i] === SP || buf[i] === HTAB) return 'obs-fold in a response header';
    while (TCHAR[buf[i] as number] === 1) i++;
    if (i === lineStart || buf[i] !== COLON) return 'malformed response header name';
    const nameEnd = i++;
    while (buf[i] === SP || buf[i] === HTAB) i++;
    const vs = i;
    while (FIELD_CHAR[buf[i] as number] === 1) i++;
    if (buf[i] !== CR || buf[i + 1] !== LF) return 'invalid byte in a response header value';
    let ve = i;
    while (ve > vs && (buf[ve - 1] === SP || buf[ve - 1] === HTAB)) ve--;
    head.lines.push(lineStart, i, responseFate(buf, lineStart, nameEnd - lineStart, vs, ve, fields, head));
    i += 2;
  }
  return finishResponse(head, fields, method);
}

/** The status code of `HTTP/1.x NNN[ reason]CRLF`, or -1. */
function parseStatusLine(buf: Buffer, start: number, end: number): number {
  // "HTTP/1." then 0 or 1, a space, three digits.
  if (end - start < 14 || buf[start] !== 72 || buf[start + 1] !== 84 || buf[start + 2] !== 84 || buf[start + 3] !== 80) return -1;
  if (buf[start + 4] !== 47 || buf[start + 5] !== 49 || buf[start + 6] !== 46 || (buf[start + 7] !== 49 && buf[start + 7] !== 48) || buf[start + 8] !== SP) return -1;
  let status = 0;
  for (let i = start + 9; i < start + 12; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    status = status * 10 + d;
  }
  if (status < 100) return -1;
  let i = start + 12;
  if (buf[i] !== CR && buf[i] !== SP) return -1;
  while (FIELD_CHAR[buf[i] as number] === 1) i++;
  return buf[i] === CR && buf[i + 1] === LF && i < end ? status : -1;
}

interface ResponseFields {
  cl: number;
  /** The Content-Length read digit by digit, -1 when it is not a plain number. */
  clValue: number;
  te: number;
  teValue: string;
  connection: string;
}

function responseFate(buf: Buffer, s: number, n: number, vs: number, ve: number, fields: ResponseFields, head: ResponseHead): Fate {
  if (n === 14 && equalsLower(buf, s, n, 'content-length')) {
    fields.cl++;
    fields.clValue = digits(buf, vs, ve);
    return Fate.Keep;
  }
  if (n === 17 && equalsLower(buf, s, n, 'transfer-encoding')) {
    fields.te++;
    fields.teValue = buf.toString('latin1', vs, ve);
    return Fate.Coding;
  }
  if (n === 10 && equalsLower(buf, s, n, 'connection')) {
    // Node.js says `Connection: keep-alive` on every response: recognised without making strings.
    if (equalsLower(buf, vs, ve - vs, 'close')) head.reusable = false;
    else if (!equalsLower(buf, vs, ve - vs, 'keep-alive')) fields.connection += `${buf.toString('latin1', vs, ve)},`;
    return head.status === 101 ? Fate.Keep : Fate.Drop;
  }
  if (n === 10 && equalsLower(buf, s, n, 'keep-alive')) return Fate.Drop;
  if (n === 7 && equalsLower(buf, s, n, 'upgrade')) return head.status === 101 ? Fate.Keep : Fate.Drop;
  if (n === 16 && equalsLower(buf, s, n, 'proxy-connection')) return Fate.Drop;
  return Fate.Keep;
}

/** 1 to 15 decimal digits, or -1. */
function digits(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = (buf[i] as number) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

function finishResponse(head: ResponseHead, fields: ResponseFields, method: string): ResponseHead | string {
  const options = fields.connection === '' ? [] : lowerTokens(fields.connection);
  if (options.includes('close')) head.reusable = false;
  const listed = options.filter((o) => o !== 'close' && o !== 'keep-alive' && o !== 'upgrade' && o !== 'content-length' && o !== 'transfer-encoding');
  if (listed.length > 0) head.connectionNames = listed;
  const status = head.status;
  if (status === 101) {
    head.body = 'tunnel';
    head.reusable = false;
    return head;
  }
  if (fields.te > 0) {
    if (fields.te > 1 || fields.cl > 0) return fields.cl > 0 ? 'both Content-Length and Transfer-Encoding in a response' : 'more than one Transfer-Encoding header in a response';
    if (fields.teValue.toLowerCase() !== 'chunked') return `unsupported Transfer-Encoding ${JSON.stringify(fields.teValue)} in a response`;
  }
  if (fields.cl > 1) return 'more than one Content-Length header in a response';
  if (fields.cl === 1 && fields.clValue < 0) return 'an invalid Content-Length in a response';
  if (method === 'HEAD' || status < 200 || status === 204 || status === 304) return head;
  if (fields.te > 0) head.body = 'chunked';
  else if (fields.cl === 1) {
    head.contentLength = Number(fields.clValue);
    head.body = head.contentLength > 0 ? 'length' : 'none';
  } else {
    head.body = 'close';
    head.reusable = false;
  }
  return head;
}
