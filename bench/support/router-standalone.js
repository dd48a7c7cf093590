// The Dozen router on its own, from the compiled platform: a static route table with one app
// (`bench`) on the backend's port, the real log bus with the platform's default limits (one router
// line per request, written to the app's history in a temp dir) and metrics.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRouter, defaultLimits } from '../../packages/platform/dist/router/http-router.js';
import { HostTable } from '../../packages/platform/dist/router/host-table.js';
import { MemoryRouteTable } from '../../packages/platform/dist/router/route-table.js';
import { LogBus } from '../../packages/platform/dist/logs/log-bus.js';
import { TlsTable } from '../../packages/platform/dist/router/tls-table.js';
import { readFileSync } from 'node:fs';

const backendPort = Number(process.argv[2]);
// An optional second argument caps the router's connections (the overload measure of the bench).
const maxConnections = process.argv[3] ? Number(process.argv[3]) : defaultLimits.maxConnections;
const table = new MemoryRouteTable();
table.addEndpoint('bench', { id: 'bench-web-1', process: 'web.1', port: backendPort });
const logDir = mkdtempSync(join(tmpdir(), 'dozen-bench-router-logs-'));
const logs = new LogBus({ dir: logDir, maxLines: 50_000, maxBytes: 20 * 1024 * 1024 });
let port = 0;
let httpsPort = 0;
// With BENCH_TLS_CERT and BENCH_TLS_KEY (PEM files) the HTTPS listener serves them for SNI `localhost`.
const tls = process.env.BENCH_TLS_CERT ? new TlsTable() : undefined;
tls?.setCertificates('bench', [{ hostnames: ['localhost'], chainPem: readFileSync(process.env.BENCH_TLS_CERT, 'utf8'), keyPem: readFileSync(process.env.BENCH_TLS_KEY, 'utf8'), notAfter: '9999' }]);
const https = tls ? { tls, publicHttpsPort: () => httpsPort } : {};
const router = createRouter({ table, hosts: new HostTable('localhost'), logs, publicPort: () => port, ...https, limits: { ...defaultLimits, maxConnections } });
router.server.listen(0, '127.0.0.1', () => {
  port = router.server.address().port;
  if (!router.httpsServer) return console.log(JSON.stringify({ port }));
  router.httpsServer.listen(0, '127.0.0.1', () => {
    httpsPort = router.httpsServer.address().port;
    console.log(JSON.stringify({ port, httpsPort }));
  });
});
const stop = () => {
  rmSync(logDir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
