import type { SessionConnection } from '../store/pg-session-connection.js';
import type { Notifier } from './cluster-ports.js';

/** The largest payload PostgreSQL carries (8000 bytes) less a margin: the port promises 7000. */
const MAX_PAYLOAD_BYTES = 7000;

/**
 * LISTEN/NOTIFY on the process's session connection: a notification sent in a transaction is
 * delivered at its commit, to every process listening (this one too). LISTEN is a session
 * feature, so it lives on the session connection, re-listened after a reconnection; what was
 * notified while the connection was down is not delivered (payloads only say where to read).
 */
export class PgNotifier implements Notifier {
  constructor(private readonly session: SessionConnection) {}

  async notify(channel: string, payload: string): Promise<void> {
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) throw new Error(`a notification payload on ${channel} is over ${MAX_PAYLOAD_BYTES} bytes`);
    await this.session.query('SELECT pg_notify($1, $2)', [channel, payload]);
  }

  listen(channel: string, onPayload: (payload: string) => void): Promise<() => Promise<void>> {
    return this.session.listen(channel, onPayload);
  }
}
