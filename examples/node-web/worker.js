// A background worker: does a unit of work every few seconds and logs it.
const processName = process.env.DOZEN_PROCESS || 'worker.1';
let jobs = 0;

const timer = setInterval(() => {
  jobs += 1;
  console.log(`${processName} finished job ${jobs}`);
}, Number(process.env.WORK_INTERVAL_MS || 2000));

console.log(`${processName} started`);
process.on('SIGTERM', () => {
  clearInterval(timer);
  console.log(`${processName} stopping after ${jobs} jobs`);
  process.exit(0);
});
