import type { CheckResult } from './check.js';
import { result } from './catalogue.js';
import { procfileCommands, procfileTypes, webCommand } from './commands.js';
import { codeFiles, packageJson, type SourceSnapshot } from './source-snapshot.js';

/** Factors VI and VIII: stateless processes, declared types, run in the foreground. */
export function processChecks(snapshot: SourceSnapshot): CheckResult[] {
  return [memorySessions(snapshot), typesDeclared(snapshot), foreground(snapshot)];
}

function memorySessions(snapshot: SourceSnapshot): CheckResult {
  if (webCommand(snapshot) === null) return result('VI.no-memory-sessions', 'pass', ['no web process']);
  const found: string[] = [];
  for (const file of codeFiles(snapshot)) {
    if (!/['"]express-session['"]/.test(file.text)) continue;
    const lines = file.text.split('\n');
    const call = lines.findIndex((line) => /\bsession\s*\(\s*\{/.test(line) || /\bMemoryStore\b/.test(line));
    if (call === -1) continue;
    const storeGiven = /\bstore\s*:/.test(file.text) && !/\bnew\s+(?:session\.)?MemoryStore\b/.test(file.text);
    if (!storeGiven) found.push(`${file.path}:${call + 1}: express-session keeps sessions in the process's memory (no store)`);
  }
  return found.length === 0 ? result('VI.no-memory-sessions', 'pass', []) : result('VI.no-memory-sessions', 'warn', found);
}

function typesDeclared(snapshot: SourceSnapshot): CheckResult {
  const types = procfileTypes(snapshot);
  if (types !== null && Object.keys(types).length > 0) return result('VIII.process-types-declared', 'pass', [`Procfile: ${Object.keys(types).join(', ')}`]);
  if (types !== null) return result('VIII.process-types-declared', 'fail', ['the Procfile declares no valid process type']);
  const start = packageJson(snapshot)?.scripts?.start;
  if (typeof start === 'string') return result('VIII.process-types-declared', 'warn', [`no Procfile: web runs the default \`npm start\` (${start})`]);
  return result('VIII.process-types-declared', 'fail', ['neither a Procfile nor a start script: nothing to run']);
}

const BACKGROUND: Array<[RegExp, string]> = [
  [/(?:^|[^&])&\s*(?:$|;|\n)/, 'ends in `&`'],
  [/\bnohup\b/, 'runs nohup'],
  [/\bpm2\s+start\b/, 'runs `pm2 start` (use pm2-runtime)'],
  [/\bforever\s+start\b/, 'runs `forever start`'],
  [/--daemon(?:ize)?\b/, 'asks for --daemon'],
];

function foreground(snapshot: SourceSnapshot): CheckResult {
  const commands = procfileCommands(snapshot);
  const web = webCommand(snapshot);
  if (web && !commands.some((c) => c.where === web.where)) commands.push(web);
  const found: string[] = [];
  for (const { where, command } of commands) {
    for (const [pattern, what] of BACKGROUND) if (pattern.test(command)) found.push(`${where}: \`${command}\` ${what}`);
  }
  return found.length === 0 ? result('VIII.foreground-processes', 'pass', []) : result('VIII.foreground-processes', 'fail', found);
}
