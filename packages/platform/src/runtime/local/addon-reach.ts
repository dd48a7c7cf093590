import type { ConfigVars } from '../../core/model.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const DEFAULT_PORTS: Record<string, number> = { 'postgres:': 5432, 'postgresql:': 5432, 'redis:': 6379, 'rediss:': 6379 };

/**
 * The ports of the host's loopback that an app's add-on attachments point at (the platform's
 * embedded Postgres and Redis listen there): only these are opened to the app's network. Only
 * the vars attachments set count, so `config:set` cannot open a port.
 */
export function loopbackPortsOf(config: ConfigVars, addonVars: readonly string[]): number[] {
  const ports = addonVars.map((key) => loopbackPort(config[key])).filter((port): port is number => port !== null);
  return [...new Set(ports)].sort((a, b) => a - b);
}

/**
 * The environment as a process on the app's own network sees it: a URL to one of `ports` on the
 * host's loopback names the gateway instead (where those ports are forwarded to the loopback).
 */
export function envOnNetwork(env: Record<string, string>, ports: readonly number[], gateway: string): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    const port = loopbackPort(value);
    if (port === null || !ports.includes(port)) {
      result[key] = value;
      continue;
    }
    const url = new URL(value);
    url.hostname = gateway;
    result[key] = url.toString();
  }
  return result;
}

function loopbackPort(value: string | undefined): number | null {
  if (value === undefined || !value.includes('://')) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (!LOOPBACK.has(url.hostname)) return null;
  const port = url.port ? Number(url.port) : DEFAULT_PORTS[url.protocol];
  return port ?? null;
}

/**
 * An add-on client the platform runs as a one-off (`pg:psql`, `redis:cli`) names its server by
 * host (PGHOST, `redis-cli -h`), not by URL: on the app's own network that host is the gateway.
 * The firewall decides what it reaches, as for the app's own connections.
 */
export function clientOnNetwork(command: readonly string[], env: Record<string, string>, gateway: string): { command: string[]; env: Record<string, string> } {
  const loopback = (value: string | undefined) => value !== undefined && LOOPBACK.has(value);
  const placed = { ...env };
  if (loopback(placed.PGHOST)) placed.PGHOST = gateway;
  return { command: command.map((arg, i) => (i > 0 && command[i - 1] === '-h' && loopback(arg) ? gateway : arg)), env: placed };
}
