import { describe, expect, it } from 'vitest';
import { listensIn, refusedWrite } from './process-probe.js';

const HEAD = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n';

describe('process probe', () => {
  it('reads LISTEN sockets on the port from /proc/net/tcp', () => {
    const table = `${HEAD}   0: 0100007F:11D7 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 1 1\n   1: 00000000:11D8 00000000:0000 0A 0 0 0 0 0 2\n   2: 0100007F:11D7 0100007F:9C40 01 0 0 0 0 0 3\n`;
    expect(listensIn(table, 4567, false)).toEqual(['127.0.0.1:4567']);
    expect(listensIn(table, 4568, false)).toEqual(['0.0.0.0:4568']);
  });

  it('reads /proc/net/tcp6', () => {
    const table = `${HEAD}   0: 00000000000000000000000000000000:11D7 00000000000000000000000000000000:0000 0A 0\n   1: 00000000000000000000000001000000:11D8 00000000000000000000000000000000:0000 0A 0\n`;
    expect(listensIn(table, 4567, true)).toEqual(['[::]:4567']);
    expect(listensIn(table, 4568, true)).toEqual(['[::1]:4568']);
  });

  it('finds the path of a refused write in a line of output', () => {
    expect(refusedWrite("Error: EROFS: read-only file system, open '/app/data.json'")).toBe('/app/data.json');
    expect(refusedWrite('all good')).toBeNull();
  });
});
