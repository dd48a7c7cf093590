// A probe app for the router: a twelve-factor web process (binds PORT, logs to stdout, stops
// gracefully on SIGTERM) with endpoints that stream, stall, speak WebSocket and misbehave on
// purpose. The router's tests and benchmarks run it as a real app process.
const http = require('node:http');
const { WebSocketServer } = require('ws');

const port = Number(process.env.PORT || 3000);
const processName = process.env.DOZEN_PROCESS || 'web.1';
const release = process.env.DOZEN_RELEASE || 'dev';
// streamed: bytes /big has handed to its socket so far (what a router's backpressure holds back).
const stats = { requests: 0, aborted: 0, connections: 0, uploads: [], streamed: 0 };

const routes = {
  '/': (req, res) => json(res, 200, { process: processName, release, path: req.url }),
  '/headers': (req, res) => json(res, 200, { headers: req.headers, rawHeaders: req.rawHeaders, httpVersion: req.httpVersion, method: req.method, url: req.url }),
  '/stats': (req, res) => server.getConnections((error, open) => json(res, 200, { ...stats, open })),
  '/slow': (req, res, q) => {
    // `flush=1` sends the head at once: a long request that is not waiting for its first byte.
    if (q.get('flush') === '1') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
    }
    setTimeout(() => json(res, 200, { slept: Number(q.get('ms') || 1000), process: processName, release }), Number(q.get('ms') || 1000));
  },
  '/never': () => undefined,
  '/status': (req, res, q) => {
    const status = Number(q.get('code') || 200);
    res.writeHead(status, { 'x-probe': 'status' });
    res.end(status === 204 || status === 304 ? undefined : `status ${status}\n`);
  },
  '/sse': (req, res, q) => {
    const count = Number(q.get('n') || 3);
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    res.flushHeaders();
    let sent = 0;
    const timer = setInterval(() => {
      res.write(`id: ${sent}\ndata: tick ${sent}\n\n`);
      if (++sent === count) {
        clearInterval(timer);
        res.end();
      }
    }, Number(q.get('ms') || 100));
    req.on('close', () => clearInterval(timer));
  },
  '/big': (req, res, q) => streamBytes(res, Number(q.get('bytes') || 1024), q.get('length') === '1'),
  '/echo': (req, res) => {
    // Streams the body back as it arrives: proof that nothing in between holds it.
    res.writeHead(200, { 'content-type': 'application/octet-stream' });
    req.pipe(res);
  },
  '/upload': (req, res) => {
    let bytes = 0;
    let sum = 0;
    req.on('data', (chunk) => {
      bytes += chunk.length;
      for (const b of chunk) sum = (sum + b) % 65521;
    });
    req.on('end', () => {
      stats.uploads.push(bytes);
      json(res, 200, { bytes, sum, headers: req.headers });
    });
  },
  '/crash': () => process.exit(1),
  '/bad/cl-te': (req) => raw(req, 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'),
  '/bad/status': (req) => raw(req, 'HTTP/1.1 2000 Nope\r\nContent-Length: 0\r\n\r\n'),
  '/bad/chunk': (req) => raw(req, 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n'),
  '/bad/close': (req) => req.socket.destroy(),
  // Closes with a TCP RST instead of a FIN: the connection breaks rather than ends.
  '/bad/reset': (req) => req.socket.resetAndDestroy(),
  '/bad/truncate': (req) => raw(req, 'HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly ten b', true),
};

const server = http.createServer((req, res) => {
  stats.requests++;
  req.on('close', () => {
    if (!req.complete) stats.aborted++;
  });
  const url = new URL(req.url, 'http://probe');
  const route = routes[url.pathname];
  if (route) route(req, res, url.searchParams);
  else json(res, 404, { error: 'no such probe', path: url.pathname });
});

server.on('connection', () => stats.connections++);

// WebSockets: /ws echoes (and says which process it is); /ws-refuse answers 403 to the upgrade.
const sockets = new WebSocketServer({ noServer: true });
server.on('upgrade', (req, socket, head) => {
  if (!req.url.startsWith('/ws') || req.url.startsWith('/ws-refuse')) {
    socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 7\r\nConnection: close\r\n\r\nrefused');
    return;
  }
  sockets.handleUpgrade(req, socket, head, (ws) => {
    ws.send(JSON.stringify({ hello: processName, release }));
    ws.on('message', (data) => ws.send(String(data)));
  });
});

function json(res, status, body) {
  const text = JSON.stringify(body);
  if (!res.headersSent) res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function streamBytes(res, total, withLength) {
  res.writeHead(200, withLength ? { 'content-type': 'application/octet-stream', 'content-length': total } : { 'content-type': 'application/octet-stream' });
  const block = Buffer.alloc(64 * 1024, 'x');
  let left = total;
  const pump = () => {
    while (left > 0) {
      const n = Math.min(left, block.length);
      left -= n;
      stats.streamed += n;
      if (!res.write(n === block.length ? block : block.subarray(0, n))) return res.once('drain', pump);
    }
    res.end();
  };
  pump();
}

function raw(req, text, close = false) {
  req.socket.write(text);
  if (close) req.socket.destroySoon();
}

server.keepAliveTimeout = 65_000;
server.listen(port, () => console.log(`listening on port ${port} as ${processName} (${release})`));

process.on('SIGTERM', () => {
  console.log(`SIGTERM received: closing ${sockets.clients.size} WebSocket(s) and the server`);
  for (const ws of sockets.clients) ws.close(1001, 'process stopping');
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 3_000).unref();
});
