// The worker process: takes entry ids from the Redis queue and does the slow part (here: counts
// the words), then marks the entry processed in Postgres. Reconnects by itself after outages.
const db = require('./lib/db').connect();
const { connect, QUEUE } = require('./lib/queue');

const queue = connect();
const processName = process.env.DOZEN_PROCESS || 'worker.1';
let running = true;

async function work() {
  if (!db || !queue) {
    console.log('DATABASE_URL and REDIS_URL are both needed: idle until they are attached');
    return;
  }
  console.log(`${processName} waiting for jobs`);
  while (running) {
    let job = null;
    try {
      job = await queue.brpop(QUEUE, 5);
      if (job) await processEntry(Number(job[1]));
    } catch (error) {
      // A job taken but not done goes back on the queue (the database may be restarting).
      if (job) await queue.rpush(QUEUE, job[1]).catch(() => undefined);
      if (!running) break;
      console.log(`job failed, retrying in 1 s: ${error.message}`);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

async function processEntry(id) {
  const { rows } = await db.query('select message from entries where id = $1', [id]);
  if (rows.length === 0) return console.log(`entry ${id} is gone; skipped`);
  const words = rows[0].message.split(/\s+/).filter(Boolean).length;
  await db.query('update entries set words = $2, processed_at = now() where id = $1', [id, words]);
  console.log(`processed entry ${id}: ${words} words`);
}

process.on('SIGTERM', () => {
  running = false;
  console.log(`${processName} stopping`);
  Promise.allSettled([queue && queue.disconnect(), db && db.end()]).then(() => process.exit(0));
  setTimeout(() => process.exit(0), 3000).unref();
});

// Idle (not exit) when something is missing, so the platform does not restart it in a loop.
work().then(() => running && setInterval(() => undefined, 60_000));
