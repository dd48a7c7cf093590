import { Session } from 'node:inspector/promises';
import { writeFileSync } from 'node:fs';
const session = new Session();
session.connect();
await session.post('HeapProfiler.enable');
await session.post('HeapProfiler.startSampling', { samplingInterval: 256, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
await import('./router-standalone.js');
process.removeAllListeners('SIGTERM');
process.on('SIGTERM', async () => {
  const { profile } = await session.post('HeapProfiler.stopSampling');
  writeFileSync('/tmp/rx/heap.json', JSON.stringify(profile));
  process.exit(0);
});
