import { DozenError } from '@dozen/contracts/errors';

/** The release phase runs once per release on the platform; `dozen dev` never runs it. */
const RELEASE_TYPE = 'release';
const MAX_PER_TYPE = 100;

export interface DevProcess {
  /** `web.1`, as the platform names processes. */
  name: string;
  type: string;
  command: string;
  port: number;
}

/**
 * `--formation web=2,worker=1` (or `all=N`): how many of each type. Types it leaves out run one
 * each (`0` runs none); a type the Procfile does not have is an error.
 */
export function parseFormation(text: string | undefined, types: readonly string[]): Record<string, number> {
  const formation: Record<string, number> = Object.fromEntries(types.filter((t) => t !== RELEASE_TYPE).map((t) => [t, 1]));
  if (text === undefined || text.trim() === '') return formation;
  for (const part of text.split(',').map((p) => p.trim()).filter((p) => p !== '')) {
    const match = /^([^=\s]+)=(\d+)$/.exec(part);
    const count = Number(match?.[2]);
    if (!match || count > MAX_PER_TYPE) {
      throw new DozenError('CLI_USAGE', `--formation ${JSON.stringify(part)} is not TYPE=COUNT (0-${MAX_PER_TYPE}).`, { hint: 'Write it like Heroku local: --formation web=2,worker=1 (or all=2).' });
    }
    const type = match[1] ?? '';
    if (type === 'all') {
      for (const key of Object.keys(formation)) formation[key] = count;
    } else if (Object.hasOwn(formation, type)) {
      formation[type] = count;
    } else {
      throw new DozenError('CLI_USAGE', `--formation names ${JSON.stringify(type)}, which the Procfile does not declare.`, { hint: `The Procfile's types: ${Object.keys(formation).join(', ') || 'none'}.` });
    }
  }
  return formation;
}

/**
 * The processes to start, ports by foreman's rule: the Procfile's n-th type (from 0) gets
 * `base + 100 * n`, and its i-th process (from 1) `+ i - 1`. Every process gets a PORT, as
 * foreman gives one; a type scaled to 0 keeps its place in the numbering.
 */
export function planProcesses(processTypes: Record<string, string>, formation: Record<string, number>, basePort: number): DevProcess[] {
  const plan: DevProcess[] = [];
  Object.keys(processTypes)
    .filter((type) => type !== RELEASE_TYPE)
    .forEach((type, typeIndex) => {
      for (let i = 1; i <= (formation[type] ?? 0); i++) {
        plan.push({ name: `${type}.${i}`, type, command: processTypes[type] ?? '', port: basePort + 100 * typeIndex + i - 1 });
      }
    });
  const last = plan.at(-1);
  if (last && last.port > 65535) throw new DozenError('CLI_USAGE', `Port ${last.port} (for ${last.name}) is above 65535.`, { hint: 'Start from a lower base port: --port 5000.' });
  return plan;
}

/** --port, else $PORT, else 5000 (foreman's and Heroku local's default). */
export function basePortOf(option: string | undefined, env: Record<string, string | undefined>): number {
  const text = option ?? env.PORT ?? '5000';
  const port = Number(text);
  if (!/^\d+$/.test(text) || port < 1 || port > 65535) {
    throw new DozenError('CLI_USAGE', `${option === undefined ? '$PORT' : '--port'} ${JSON.stringify(text)} is not a port (1-65535).`, { hint: 'Give a base port, e.g. --port 5000.' });
  }
  return port;
}
