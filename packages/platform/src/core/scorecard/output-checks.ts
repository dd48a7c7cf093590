import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { expanded, procfileCommands, scriptCommands, simpleCommands } from './commands.js';
import { BUILD_SCRIPTS } from './release-checks.js';
import { capped, codeFiles, hasDir, hasFile, matchingLines, packageJson, type SourceSnapshot } from './source-snapshot.js';

/** Factors XI and XII: logs as a stream; admin scripts in the codebase. */
export function outputChecks(snapshot: SourceSnapshot): CheckResult[] {
  return [logFiles(snapshot), adminScripts(snapshot)];
}

const LOG_FILE = /createWriteStream\(\s*['"`][^'"`]*\.log\b|appendFile(?:Sync)?\(\s*['"`][^'"`]*\.log\b|transports\.File\b|pino\.destination\(\s*['"`]|filename\s*:\s*['"`][^'"`]*\.log['"`]/;

function logFiles(snapshot: SourceSnapshot): CheckResult {
  const found = matchingLines(codeFiles(snapshot), LOG_FILE);
  return found.length === 0 ? result('XI.no-log-files-in-code', 'pass', []) : result('XI.no-log-files-in-code', 'warn', capped(found));
}

/** Flags of node (and sh) whose value is the next word: `node -r dotenv/config server.js`. */
const VALUE_FLAGS = new Set(['-r', '--require', '--import', '--loader', '--experimental-loader', '--env-file', '--conditions', '-C', '--title', '--inspect-port']);

/** The script a `node ARGS` runs: the first word that is neither a flag nor a flag's value; none for -e/-p/-c. */
function scriptArgument(args: string[]): string | undefined {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (['-e', '--eval', '-p', '--print', '-c'].includes(arg)) return undefined;
    if (VALUE_FLAGS.has(arg)) i += 1;
    else if (!arg.startsWith('-')) return arg;
  }
  return undefined;
}

/** Local files a command runs: `node scripts/seed.js`, `./bin/task`, `sh tasks/x.sh`. */
function localFiles(command: string): string[] {
  const files: string[] = [];
  for (const words of simpleCommands(command)) {
    const [program, ...args] = words;
    if (program === undefined) continue;
    if (/^\.?\.?\//.test(program) || (program.includes('/') && !program.startsWith('$'))) files.push(program);
    if (['node', 'sh', 'bash', 'ts-node', 'tsx'].includes(program)) {
      const script = scriptArgument(args);
      if (script && /\.(?:[cm]?[jt]s|sh)$|\//.test(script) && !script.startsWith('$')) files.push(script);
    }
  }
  return files.map((file) => file.replace(/^\.\//, ''));
}

function adminScripts(snapshot: SourceSnapshot): CheckResult {
  const scripts = packageJson(snapshot)?.scripts ?? {};
  const buildStep = BUILD_SCRIPTS.some((name) => typeof scripts[name] === 'string');
  const missing: string[] = [];
  for (const { where, command } of [...procfileCommands(snapshot), ...scriptCommands(snapshot)]) {
    for (const file of localFiles(command)) {
      if (file.startsWith('/') || file.startsWith('node_modules/') || hasFile(snapshot, file) || hasDir(snapshot, file)) continue;
      const dir = file.includes('/') ? file.slice(0, file.indexOf('/')) : '';
      // A file in a directory the source lacks may be what the build step makes (dist/server.js).
      if (dir !== '' && !hasDir(snapshot, dir) && buildStep) continue;
      missing.push(`${where}: \`${expanded(snapshot, command)}\` runs ${file}, which is not in the source`);
    }
  }
  return missing.length === 0 ? result('XII.admin-scripts-shipped', 'pass', []) : result('XII.admin-scripts-shipped', 'fail', capped(missing));
}
