import { DozenError } from '@dozen/contracts/errors';
import type { DrainKind } from './model.js';

export interface DrainTarget {
  kind: DrainKind;
  /** Host name or IP address (IPv6 without brackets). */
  host: string;
  port: number;
}

const DEFAULT_PORTS: Record<DrainKind, number> = { syslog: 514, 'syslog+tls': 6514, https: 443 };

/** Checks a drain URL's shape: a known scheme and a host. Where the host points is checked by the drain hub. */
export function parseDrainUrl(raw: string): DrainTarget {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DozenError('DRAIN_URL_INVALID', `Drain URL ${JSON.stringify(maskDrainUrl(raw))} is not a URL.`);
  }
  const kind = url.protocol.slice(0, -1);
  if (kind !== 'syslog' && kind !== 'syslog+tls' && kind !== 'https') {
    throw new DozenError('DRAIN_URL_INVALID', `Drain URL ${JSON.stringify(maskDrainUrl(raw))} has the scheme ${url.protocol}; drains speak syslog://, syslog+tls:// or https://.`);
  }
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '');
  if (host === '') throw new DozenError('DRAIN_URL_INVALID', `Drain URL ${JSON.stringify(maskDrainUrl(raw))} has no host.`);
  if (/[\s\u0000-\u001f]/.test(raw)) throw new DozenError('DRAIN_URL_INVALID', `Drain URL ${JSON.stringify(maskDrainUrl(raw))} contains spaces or control characters.`);
  return { kind, host, port: url.port === '' ? DEFAULT_PORTS[kind] : Number(url.port) };
}

/** The URL as it may be shown: password and query values masked, the user name and host kept. */
export function maskDrainUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return raw.length > 12 ? `${raw.slice(0, 8)}…` : '…';
  }
  if (url.password !== '') url.password = '****';
  for (const key of [...url.searchParams.keys()]) url.searchParams.set(key, mask(url.searchParams.get(key) ?? ''));
  // A token in the path (some services put it there) is masked too: long opaque segments.
  url.pathname = url.pathname.split('/').map((part) => (part.length >= 16 && /\d/.test(part) ? mask(part) : part)).join('/');
  return url.toString().replace(/%2A%2A%2A%2A/g, '****');
}

function mask(value: string): string {
  return value.length > 8 ? `${value.slice(0, 3)}****` : '****';
}
