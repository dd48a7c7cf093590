import { describe, expect, it } from 'vitest';
import { formatLogLine } from './log-format.js';

const line = (message: string, process = 'web.1') => ({ id: '1', time: '2026-11-24T20:15:03.123456+00:00', source: 'app' as const, process, message });

describe('log lines on a terminal', () => {
  it("prints Heroku's shape and shows every control character when colour was not asked for", () => {
    const format = formatLogLine(false);
    expect(format(line('hello'))).toBe('2026-11-24T20:15:03.123456+00:00 app[web.1]: hello');
    expect(format(line('\u001b[2J\u001b]52;c;aGk=\u0007x\u0000\r\u009b1A\ttab'))).toBe('2026-11-24T20:15:03.123456+00:00 app[web.1]: \\x1b[2J\\x1b]52;c;aGk=\\x07x\\x00\\x0d\\x9b1A\ttab');
    expect(format({ ...line('GET /'), source: 'router', process: 'router' })).toContain(' dozen[router]: GET /');
  });

  it('colours each process, replays only colour escapes from the app, and resets after the message', () => {
    const format = formatLogLine(true);
    const web = format(line('\u001b[31mred\u001b[0m \u001b[2J'));
    expect(web).toBe('\u001b[36m2026-11-24T20:15:03.123456+00:00 app[web.1]:\u001b[0m \u001b[31mred\u001b[0m \\x1b[2J\u001b[0m');
    expect(format(line('x', 'worker.1'))).toMatch(/^\u001b\[33m/);
    expect(format(line('y', 'web.1'))).toMatch(/^\u001b\[36m/);
  });
});
