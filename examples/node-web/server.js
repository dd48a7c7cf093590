// A twelve-factor web process: config from the environment, binds PORT, logs to stdout,
// stops gracefully on SIGTERM.
const http = require('node:http');

const port = Number(process.env.PORT || 3000);
const processName = process.env.DOZEN_PROCESS || 'web.1';
const release = process.env.DOZEN_RELEASE || 'dev';

const server = http.createServer((req, res) => {
  const greeting = process.env.GREETING || 'Hello from Dozen';
  const body = JSON.stringify({ greeting, process: processName, release, path: req.url });
  console.log(`${req.method} ${req.url} -> 200 (${processName}, ${release})`);
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});

server.keepAliveTimeout = 65_000;
server.listen(port, () => console.log(`listening on port ${port} as ${processName} (${release})`));

process.on('SIGTERM', () => {
  console.log('SIGTERM received: closing the server');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5_000).unref();
});
