import { maskDrainUrl } from '../../core/drain-url.js';

export const REDACTED = '[redacted]';

/** Keys whose values are secrets wherever they appear in a request. */
const SECRET_KEY = /pass(word|phrase)?|secret|token|credential|setup.?code|^code$|private.?key|api.?key/i;
/** Routes whose body is config vars (an app's; a pipeline's review config, issue 17). */
const CONFIG_ACTIONS = new Set(['updateConfig', 'updateReviewConfig']);
/** At most this many characters of parameters are kept per event (a large body is cut, not dropped). */
const MAX_CHARS = 8 * 1024;

export interface RequestParts {
  params?: unknown;
  query?: unknown;
  body?: unknown;
}

/**
 * The parameters an audit event keeps: path parameters, query and (JSON) body, with every secret
 * value replaced. Config vars are secrets by nature: a config update keeps the names and whether
 * each was set or unset, never a value. URLs keep their host, not their password or query values.
 */
export function redactRequest(action: string, parts: RequestParts): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  if (isRecord(parts.params) && Object.keys(parts.params).length > 0) kept.params = redactValue({ ...parts.params });
  if (isRecord(parts.query) && Object.keys(parts.query).length > 0) kept.query = redactValue({ ...parts.query });
  if (isObject(parts.body) || Array.isArray(parts.body)) kept.body = CONFIG_ACTIONS.has(action) ? redactConfig(parts.body) : redactValue(parts.body);
  const text = JSON.stringify(kept);
  return text.length <= MAX_CHARS ? kept : { truncated: `${text.length} characters of parameters, more than the ${MAX_CHARS} kept` };
}

/** `{ NAME: "value" | null }` -> `{ NAME: "[redacted]" | null }` (null: unset). */
function redactConfig(body: unknown): unknown {
  if (!isObject(body)) return REDACTED;
  return Object.fromEntries(Object.entries(body).map(([name, value]) => [name, value === null ? null : REDACTED]));
}

function redactValue(value: unknown, key = ''): unknown {
  if (SECRET_KEY.test(key) && value !== null && value !== undefined) return REDACTED;
  if (typeof value === 'string') return looksLikeUrl(value) ? maskDrainUrl(value) : value;
  if (Array.isArray(value)) return value.map((item) => redactValue(item));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactValue(v, k)]));
  return value;
}

function looksLikeUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** Path parameters and queries: records of strings, whatever their prototype. */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !Buffer.isBuffer(value);
}

/** A plain JSON object (not an array, a Buffer or a stream). */
function isObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}
