import { formatLogTime } from '../../core/log-time.js';
import type { LogRecord } from '../../core/model.js';

/** local7.info, as Heroku's logplex sends. */
const PRI = '<190>';

/**
 * One RFC 5424 message: `<190>1 TIME HOSTNAME APP-NAME PROCID MSGID SD MSG`, with the app as
 * HOSTNAME, the source (app, router, dozen) as APP-NAME and the process (web.1) as PROCID. The
 * message is sent as it is (NUL, escapes, newlines and all): octet counting frames it.
 */
export function syslogMessage(record: LogRecord): string {
  return `${PRI}1 ${formatLogTime(record.timeMicros)} ${record.app} ${record.source} ${field(record.process, 128)} - - ${record.message}`;
}

/** RFC 6587 octet counting: `LENGTH SP MESSAGE`, the length in bytes. */
export function octetFrame(message: string): Buffer {
  const body = Buffer.from(message, 'utf8');
  return Buffer.concat([Buffer.from(`${body.length} `), body]);
}

/** Header fields are printable US-ASCII without spaces, bounded in length (RFC 5424 §6). */
function field(value: string, max: number): string {
  const clean = value.replace(/[^\x21-\x7e]/g, '_').slice(0, max);
  return clean === '' ? '-' : clean;
}
