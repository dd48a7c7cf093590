import type { AuditEventWire } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import { appCommand, type AppOptions, type Registrar } from '../../command-kit.js';
import { print, printJson, table } from '../../output.js';

interface AuditOptions extends AppOptions {
  since?: string;
  num?: string;
}

export const registerAudit: Registrar = (program, context) => {
  appCommand(program, 'audit', 'who changed what: the audit trail of an app (-a) or, for the admin, of the platform', { fromDirectory: false })
    .option('--since <time>', 'only events since a duration ago (30s, 10m, 2h, 1d) or an ISO 8601 time')
    .option('-n, --num <events>', 'how many of the newest events (default 100)')
    .option('--json', 'print JSON')
    .action(async (options: AuditOptions) => {
      const limit = options.num === undefined ? undefined : Number(options.num);
      if (limit !== undefined && (!Number.isInteger(limit) || limit < 1 || limit > 10_000)) {
        throw new DozenError('CLI_USAGE', `-n ${options.num} is not a number of events from 1 to 10000.`);
      }
      const query = Object.fromEntries(Object.entries({ since: options.since, limit }).filter(([, v]) => v !== undefined));
      const client = context.client();
      const events = options.app === undefined ? await client.call('listAudit', { query }) : await client.call('listAppAudit', { params: { app: options.app }, query });
      if (options.json) return printJson(events);
      if (events.length === 0) return print(options.app ? `No recorded changes to ${options.app}.` : 'No recorded changes.');
      print(table(events.map(auditRow)));
    });
};

/** One event per line: time, who, app, action, result, parameters (already redacted by the platform). */
function auditRow(event: AuditEventWire): string[] {
  const result = event.result.code === null ? String(event.result.status) : `${event.result.status} ${event.result.code}`;
  const params = Object.keys(event.params).length === 0 ? '' : JSON.stringify(event.params);
  return [event.time.replace(/\.\d+Z$/, 'Z'), event.actor.label, event.app ?? '-', event.action, result, params];
}
