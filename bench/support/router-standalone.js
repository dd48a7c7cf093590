// The Dozen router on its own, from the compiled platform: a static route table with one app
// (`bench`) on the backend's port, the real log bus (one router line per request) and metrics.
import { createRouter, defaultLimits } from '../../packages/platform/dist/router/http-router.js';
import { HostTable } from '../../packages/platform/dist/router/host-table.js';
import { MemoryRouteTable } from '../../packages/platform/dist/router/route-table.js';
import { LogBus } from '../../packages/platform/dist/logs/log-bus.js';

const backendPort = Number(process.argv[2]);
const table = new MemoryRouteTable();
table.addEndpoint('bench', { id: 'bench-web-1', process: 'web.1', port: backendPort });
const logs = new LogBus({ linesPerApp: 1500 });
let port = 0;
const router = createRouter({ table, hosts: new HostTable('localhost'), logs, publicPort: () => port, limits: defaultLimits });
router.server.listen(0, '127.0.0.1', () => {
  port = router.server.address().port;
  console.log(JSON.stringify({ port }));
});
process.on('SIGTERM', () => process.exit(0));
process.on('SIGINT', () => process.exit(0));
