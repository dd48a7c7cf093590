import { DozenError } from '@dozen/contracts/errors';
import { PROCESS_TYPE_PATTERN } from './names.js';
import type { ProcessTypes } from './model.js';

export const PROCFILE_MAX_LINES = 1000;

/** The `release` type runs once per release (the release phase), never as a formation process. */
export const RELEASE_PHASE_TYPE = 'release';

/** Whether a process type is listed and scaled as part of the formation (every type but `release`). */
export function isFormationType(type: string): boolean {
  return type !== RELEASE_PHASE_TYPE;
}

/**
 * Parses a Procfile (`type: command` per line, as Heroku reads it). Blank lines and `#` comments
 * are skipped; CRLF is accepted. Anything else that is not a valid entry is an error naming the
 * line, because a silently dropped process type is worse than a failed build.
 */
export function parseProcfile(text: string): ProcessTypes {
  const lines = text.split(/\r?\n/);
  if (lines.length > PROCFILE_MAX_LINES) {
    throw new DozenError('PROCFILE_INVALID', `The Procfile has ${lines.length} lines, over the limit of ${PROCFILE_MAX_LINES}.`);
  }
  const types: ProcessTypes = {};
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const match = /^([^:\s]+)\s*:(.*)$/.exec(line);
    const where = `Procfile line ${i + 1}`;
    if (!match) throw new DozenError('PROCFILE_INVALID', `${where} (${JSON.stringify(truncate(line))}) is not \`type: command\`.`);
    const type = match[1] ?? '';
    const command = (match[2] ?? '').trim();
    if (!PROCESS_TYPE_PATTERN.test(type)) {
      throw new DozenError('PROCFILE_INVALID', `${where}: process type ${JSON.stringify(truncate(type))} must match ${PROCESS_TYPE_PATTERN.source}.`);
    }
    if (command === '') throw new DozenError('PROCFILE_INVALID', `${where}: process type ${type} has an empty command.`);
    if (Object.hasOwn(types, type)) throw new DozenError('PROCFILE_INVALID', `${where}: process type ${type} is declared twice.`);
    types[type] = command;
  });
  return types;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
