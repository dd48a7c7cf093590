// The bench's load: `connections` keep-alive connections, each sending its next request as soon as
// the previous one is answered; anything but a 200 from the app counts as a failed request.
import { Agent, request } from 'node:http';

export function startLoad(port, host, connections = 8) {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const result = { requests: 0, failures: 0, seconds: 0, rate: 0 };
  let running = true;
  const started = Date.now();
  const one = () =>
    new Promise((done) => {
      const finish = (failed) => {
        result.requests += 1;
        if (failed) result.failures += 1;
        done();
      };
      const req = request({ host: '127.0.0.1', port, path: '/', headers: { host }, agent }, (res) => {
        res.resume();
        res.on('end', () => finish(res.statusCode !== 200));
        res.on('error', () => finish(true));
      });
      req.setTimeout(5000, () => req.destroy(new Error('timeout')));
      req.on('error', () => finish(true));
      req.end();
    });
  const loops = Array.from({ length: connections }, async () => {
    while (running) await one();
  });
  return {
    async stop() {
      running = false;
      await Promise.all(loops);
      agent.destroy();
      result.seconds = (Date.now() - started) / 1000;
      result.rate = result.requests / result.seconds;
      return result;
    },
  };
}
