/** One router line per request, in Heroku's format (with `process=` for the dyno). */
export interface AccessEntry {
  code: string;
  desc: string;
  method: string;
  path: string;
  host: string;
  requestId: string;
  fwd: string;
  process: string;
  connectMs: number;
  serviceMs: number;
  status: number;
  bytes: number;
  protocol: string;
}

const DESCRIPTIONS: Record<string, string> = {
  H10: 'App crashed',
  H12: 'Request timeout',
  H13: 'Connection closed without response',
  H14: 'No web processes running',
  H15: 'Idle connection',
  H27: 'Client Request Interrupted',
  H80: 'Maintenance mode',
};

export function describeCode(code: string): string {
  return DESCRIPTIONS[code] ?? code;
}

/**
 * `at=info method=GET path="/" host=hello.localhost request_id=... fwd="127.0.0.1" process=web.1
 * connect=0ms service=3ms status=200 bytes=512 protocol=http`; errors start with
 * `at=error code=H12 desc="Request timeout"`.
 */
export function accessLine(e: AccessEntry): string {
  const at = e.code === '' ? 'at=info' : `at=error code=${e.code} desc="${e.desc}"`;
  const line = `${at} method=${e.method} path=${quote(e.path)} host=${e.host} request_id=${e.requestId} fwd="${e.fwd}" process=${e.process} connect=${e.connectMs}ms service=${e.serviceMs}ms status=${e.status} bytes=${e.bytes} protocol=${e.protocol}`;
  // The line is kept in the log ring: made flat now (ToNumber flattens a string), it is one
  // object for the garbage collector to move instead of a tree of ~25 concatenations.
  void (Number(line) | 0);
  return line;
}

/** Paths are visible ASCII (the parser refuses anything else); only quotes and backslashes need escaping. */
function quote(path: string): string {
  return path.includes('"') || path.includes('\\') ? JSON.stringify(path) : `"${path}"`;
}
