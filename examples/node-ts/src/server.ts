import { createServer } from 'node:http';
import { describeRelease } from './release.js';

const port = Number(process.env.PORT ?? 3000);

const server = createServer((req, res) => {
  const body = JSON.stringify({ language: 'typescript', compiled: true, ...describeRelease(process.env), path: req.url });
  console.log(`${req.method} ${req.url} -> 200`);
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end(body);
});

server.listen(port, () => console.log(`node-ts listening on ${port}`));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
