import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { capped, codeFiles, matchingLines, type SourceSnapshot } from './source-snapshot.js';

/** Factor III: config (secrets, service addresses) lives in the environment, not in the code. */
export function configChecks(snapshot: SourceSnapshot): CheckResult[] {
  return [secrets(snapshot), committedEnv(snapshot), hardcodedServices(snapshot)];
}

const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----/, 'a private key'],
  [/\bAKIA[0-9A-Z]{16}\b/, 'an AWS access key id'],
  [/\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{36}\b|\bgithub_pat_[A-Za-z0-9_]{50,}/, 'a GitHub token'],
  [/\bxox[abprs]-[A-Za-z0-9-]{10,}/, 'a Slack token'],
  [/\b[sr]k_live_[A-Za-z0-9]{20,}/, 'a Stripe live key'],
];

/** Files that are text and not lockfiles (whose integrity hashes look like anything). */
function scannedFiles(snapshot: SourceSnapshot): Array<{ path: string; text: string }> {
  return snapshot.files.filter((f): f is { path: string; text: string } => f.text !== null && !/(^|\/)(package-lock\.json|yarn\.lock|pnpm-lock\.yaml|npm-shrinkwrap\.json)$/.test(f.path));
}

function secrets(snapshot: SourceSnapshot): CheckResult {
  const found: string[] = [];
  for (const [pattern, what] of SECRET_PATTERNS) found.push(...matchingLines(scannedFiles(snapshot), pattern, () => what));
  return found.length === 0 ? result('III.no-secrets-in-source', 'pass', []) : result('III.no-secrets-in-source', 'fail', capped(found));
}

/** `.env`, `.env.production`...: committed values; `.env.example` and friends are templates. */
export function isEnvFile(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return /^\.env(\.[\w-]+)?$/.test(name) && !/\.(example|sample|template|dist|defaults)$/.test(name);
}

/** `KEY=value` lines of a dotenv file. */
export function envEntries(text: string): Array<{ key: string; value: string; line: number }> {
  const entries: Array<{ key: string; value: string; line: number }> = [];
  text.split('\n').forEach((raw, i) => {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*?)\s*$/.exec(raw);
    if (match) entries.push({ key: match[1]!, value: match[2]!.replace(/^(['"])(.*)\1$/, '$2'), line: i + 1 });
  });
  return entries;
}

/** Shannon entropy in bits per character. */
function entropy(value: string): number {
  const counts = new Map<string, number>();
  for (const char of value) counts.set(char, (counts.get(char) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) bits -= (count / value.length) * Math.log2(count / value.length);
  return bits;
}

function looksSecret(value: string): boolean {
  if (/^[a-z][\w+.-]*:\/\/[^/\s:@]+:[^/\s@]+@/i.test(value)) return true;
  return value.length >= 16 && !value.includes(' ') && entropy(value) >= 3.5;
}

function committedEnv(snapshot: SourceSnapshot): CheckResult {
  const envFiles = snapshot.files.filter((f) => isEnvFile(f.path));
  if (envFiles.length === 0) return result('III.no-committed-env', 'pass', []);
  const secret = envFiles.flatMap((f) => envEntries(f.text ?? '').filter((e) => looksSecret(e.value)).map((e) => `${f.path}:${e.line}: ${e.key} holds a secret-looking value (${e.value.length} characters)`));
  if (secret.length > 0) return result('III.no-committed-env', 'fail', capped(secret));
  return result('III.no-committed-env', 'warn', envFiles.map((f) => `${f.path} is committed`));
}

const LOCAL_SERVICE = /\b(?:postgres(?:ql)?|mysql|redis|rediss|mongodb|amqp):\/\/[^'"`\s]*(?:localhost|127\.0\.0\.1)|\b(?:localhost|127\.0\.0\.1):(?:5432|3306|6379|27017|5672|9200|11211)\b/;

function hardcodedServices(snapshot: SourceSnapshot): CheckResult {
  // A literal beside `process.env` is a development fallback: config wins, so it passes.
  const found = matchingLines(codeFiles(snapshot), LOCAL_SERVICE, (line) => (line.includes('process.env') ? null : line.trim()));
  return found.length === 0 ? result('III.no-hardcoded-services', 'pass', []) : result('III.no-hardcoded-services', 'warn', capped(found));
}
