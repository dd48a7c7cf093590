import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { expanded, procfileCommands, scriptCommands, simpleCommands } from './commands.js';
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

/** Local files a command runs: `node scripts/seed.js`, `./bin/task`, `sh tasks/x.sh`. */
function localFiles(command: string): string[] {
  const files: string[] = [];
  for (const words of simpleCommands(command)) {
    const [program, ...args] = words;
    if (program === undefined) continue;
    if (/^\.?\.?\//.test(program) || (program.includes('/') && !program.startsWith('$'))) files.push(program);
    if (['node', 'sh', 'bash', 'ts-node', 'tsx'].includes(program)) {
      const script = args.find((arg) => !arg.startsWith('-'));
      if (script && /\.(?:[cm]?[jt]s|sh)$|\//.test(script) && !script.startsWith('$')) files.push(script);
    }
  }
  return files.map((file) => file.replace(/^\.\//, ''));
}

function adminScripts(snapshot: SourceSnapshot): CheckResult {
  const buildStep = typeof packageJson(snapshot)?.scripts?.build === 'string' || typeof packageJson(snapshot)?.scripts?.['heroku-postbuild'] === 'string';
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
