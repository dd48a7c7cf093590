import type { Command } from 'commander';
import { DozenError } from '@dozen/contracts/errors';

/**
 * Splits a command's operands at a literal `--`: what comes after goes to a tool exactly as
 * typed (`dozen redis:cli REDIS_URL -a app -- get key`); before it, at most one add-on name.
 */
export function addonAndToolArgs(program: Command, operands: string[], usage: string): { addon: string | undefined; args: string[] } {
  const raw = (program as Command & { rawArgs: string[] }).rawArgs;
  const at = raw.indexOf('--');
  const after = at < 0 ? 0 : raw.length - at - 1;
  const before = operands.slice(0, operands.length - after);
  if (before.length > 1) throw new DozenError('CLI_USAGE', `Unexpected arguments ${before.slice(1).map((a) => JSON.stringify(a)).join(' ')}.`, { hint: `Put the tool's own arguments after --: ${usage}` });
  return { addon: before[0], args: operands.slice(operands.length - after) };
}
