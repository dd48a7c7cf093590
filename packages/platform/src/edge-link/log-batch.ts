import type { LogEvent } from '../core/model.js';

/**
 * A batch of log lines on the control connection, as one binary message: a 4-byte length, a JSON
 * header `[[app, source, process, length], ...]`, then every message as UTF-16 code units. JSON
 * would escape every control character (NUL costs 6 bytes), and UTF-8 would lose a lone surrogate;
 * this costs 2 bytes a character, whatever the line holds, and keeps it exactly.
 */
export function encodeLogBatch(records: readonly LogEvent[]): Buffer {
  const header = Buffer.from(JSON.stringify(records.map((r) => [r.app, r.source, r.process, r.message.length])));
  let chars = 0;
  for (const record of records) chars += record.message.length;
  const frame = Buffer.allocUnsafe(4 + header.length + chars * 2);
  frame.writeUInt32BE(header.length, 0);
  header.copy(frame, 4);
  let offset = 4 + header.length;
  for (const record of records) offset += frame.write(record.message, offset, 'utf16le');
  return frame;
}

export function decodeLogBatch(frame: Buffer): LogEvent[] {
  const headerLength = frame.readUInt32BE(0);
  const header = JSON.parse(frame.toString('utf8', 4, 4 + headerLength)) as [string, LogEvent['source'], string, number][];
  let offset = 4 + headerLength;
  return header.map(([app, source, process, length]) => {
    const message = frame.toString('utf16le', offset, offset + length * 2);
    offset += length * 2;
    return { app, source, process, message };
  });
}
