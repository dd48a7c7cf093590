import { DozenError } from '@dozen/contracts/errors';

/** One argument of `ps:scale`, as Heroku reads it: `web=2` sets, `web+1` / `web-1` add or remove. */
export interface ScaleChange {
  type: string;
  amount: number;
  relative: boolean;
}

const CHANGE = /^([A-Za-z0-9_-]+?)(=|\+|-)(\d+)$/;

export function parseScaleChange(change: string): ScaleChange {
  const negative = /^([A-Za-z0-9_-]+)=-(\d+)$/.exec(change);
  if (negative) {
    throw new DozenError('FORMATION_INVALID', `${change}: ${negative[1]} cannot run a negative number of processes.`, {
      hint: `Give a count from 0 (\`${negative[1]}=0\`), or remove processes with \`${negative[1]}-${negative[2]}\`.`,
    });
  }
  const match = CHANGE.exec(change);
  if (!match) {
    throw new DozenError('CLI_USAGE', `${JSON.stringify(change)} is not TYPE=N, TYPE+N or TYPE-N.`, { hint: 'Run for example `dozen ps:scale web=2 worker+1 -a APP`.' });
  }
  const [, type, op, digits] = match as unknown as [string, string, string, string];
  return { type, amount: op === '-' ? -Number(digits) : Number(digits), relative: op !== '=' };
}

/** The absolute count a change asks for, given what runs now; going below zero is an error naming both. */
export function scaledQuantity(change: ScaleChange, current: number): number {
  if (!change.relative) return change.amount;
  const quantity = current + change.amount;
  if (quantity < 0) {
    throw new DozenError('FORMATION_INVALID', `${change.type}${change.amount} would leave ${change.type} at ${quantity}: it runs ${current}.`, {
      hint: `Scale ${change.type} to 0 with \`${change.type}=0\`, or remove at most ${current}.`,
    });
  }
  return quantity;
}
