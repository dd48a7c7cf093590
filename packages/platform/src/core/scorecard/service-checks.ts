import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { envEntries, isEnvFile } from './config-checks.js';
import { codeFiles, packageJson, type CheckContext, type SourceSnapshot } from './source-snapshot.js';

/** Client libraries of backing services (factor IV): the app talks to a service when it depends on one. */
const SERVICE_CLIENTS = ['pg', 'postgres', 'mysql', 'mysql2', 'redis', 'ioredis', 'mongodb', 'mongoose', 'amqplib', 'kafkajs', 'memjs', 'knex', 'sequelize', 'typeorm', '@prisma/client', 'nodemailer', '@elastic/elasticsearch'];

/** Factor IV: a service client is given its address from config. */
export function serviceChecks(snapshot: SourceSnapshot, context: CheckContext): CheckResult[] {
  return [servicesFromConfig(snapshot), parity(snapshot, context)];
}

function servicesFromConfig(snapshot: SourceSnapshot): CheckResult {
  const deps = { ...packageJson(snapshot)?.dependencies };
  const clients = SERVICE_CLIENTS.filter((name) => name in deps);
  if (clients.length === 0) return result('IV.services-from-config', 'pass', ['no backing-service client among the dependencies']);
  const reads = codeFiles(snapshot).flatMap((f) => [...f.text.matchAll(/process\.env\.([A-Z][A-Z0-9_]*(?:URL|URI|HOST|ADDR|ADDRESS|DSN|SERVER|SERVERS))\b|process\.env\[['"]([A-Z][A-Z0-9_]*(?:URL|URI|HOST))['"]\]/g)].map((m) => m[1] ?? m[2]));
  if (reads.length > 0) return result('IV.services-from-config', 'pass', [`${clients.join(', ')} configured from ${[...new Set(reads)].join(', ')}`]);
  return result('IV.services-from-config', 'warn', [`depends on ${clients.join(', ')} but no code reads a service URL from process.env (e.g. DATABASE_URL)`]);
}

/** The kind of backing service a URL points at. */
export function serviceKind(url: string): string | null {
  const scheme = /^([a-z][\w+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return null;
  const kinds: Record<string, string> = { postgres: 'postgres', postgresql: 'postgres', mysql: 'mysql', mysql2: 'mysql', redis: 'redis', rediss: 'redis', mongodb: 'mongodb', 'mongodb+srv': 'mongodb', amqp: 'rabbitmq', amqps: 'rabbitmq', sqlite: 'sqlite', file: 'sqlite', memcached: 'memcached' };
  return kinds[scheme] ?? null;
}

/** Factor X (static half): each service URL of the committed .env / .env.example names the kind production's config has. */
function parity(snapshot: SourceSnapshot, context: CheckContext): CheckResult {
  const dotenv = snapshot.files.filter((f) => f.text !== null && (isEnvFile(f.path) || /(^|\/)\.env\.(example|sample|template)$/.test(f.path)));
  const differences: string[] = [];
  let compared = 0;
  for (const file of dotenv) {
    for (const entry of envEntries(file.text ?? '')) {
      const dev = serviceKind(entry.value);
      const prodValue = context.config[entry.key];
      const prod = prodValue === undefined ? null : serviceKind(prodValue);
      if (dev === null || prod === null) continue;
      compared += 1;
      if (dev !== prod) differences.push(`${file.path}:${entry.line}: ${entry.key} is ${dev} in development, ${prod} in production`);
    }
  }
  if (differences.length > 0) return result('X.dev-prod-parity', 'warn', differences);
  return result('X.dev-prod-parity', 'pass', compared > 0 ? [`${compared} service URL(s) of the same kind in .env and production`] : []);
}
