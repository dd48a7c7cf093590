import { CR, LF, SP, TARGET_CHAR, TCHAR } from './http-syntax.js';
import { HeadError } from './request-head.js';

const HTTP_SLASH = [72, 84, 84, 80, 47];

/**
 * Checks the start of a request line while the rest of the head has not come yet. Bytes that
 * cannot begin an HTTP/1.x request (a TLS ClientHello, an HTTP/0.9 `GET /` line) are refused at
 * once with a 400, instead of waiting for a head that will never come (a 408 after the head
 * timeout). Answers null while the bytes so far could still be a request line.
 */
export function requestLinePrefixError(buf: Buffer, start: number): HeadError | null {
  const end = buf.length;
  let i = start;
  while (i < end && TCHAR[buf[i] as number] === 1) i++;
  if (i === end) return null;
  if (i === start || buf[i] !== SP) return new HeadError(400, 'not an HTTP request (it does not begin with a method and a space)');
  const targetStart = ++i;
  while (i < end && TARGET_CHAR[buf[i] as number] === 1) i++;
  if (i === end) return null;
  if (buf[i] === CR || buf[i] === LF) return new HeadError(400, 'no HTTP version in the request line (HTTP/0.9 is not supported)');
  if (i === targetStart || buf[i] !== SP) return new HeadError(400, 'malformed request-target');
  for (let k = 0; k < HTTP_SLASH.length && i + 1 + k < end; k++) {
    if (buf[i + 1 + k] !== HTTP_SLASH[k]) return new HeadError(400, 'no HTTP version in the request line');
  }
  return null;
}
