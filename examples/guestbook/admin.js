// Admin tasks, run as one-off processes against the current release (factor XII):
//   dozen run -a APP -- node admin.js stats
//   dozen run -a APP -- node admin.js requeue     (hand unprocessed entries to the worker again)
const db = require('./lib/db').connect();
const { connect, QUEUE } = require('./lib/queue');

async function main(command) {
  if (!db) throw new Error('DATABASE_URL is not set');
  if (command === 'stats') {
    const { rows } = await db.query('select count(*)::int as entries, count(processed_at)::int as processed from entries');
    const queue = connect();
    const waiting = queue ? await queue.llen(QUEUE) : 0;
    console.log(JSON.stringify({ ...rows[0], waiting }));
    if (queue) queue.disconnect();
  } else if (command === 'requeue') {
    const queue = connect();
    const { rows } = await db.query('select id from entries where processed_at is null order by id');
    for (const row of rows) await queue.lpush(QUEUE, String(row.id));
    console.log(`requeued ${rows.length} entries`);
    queue.disconnect();
  } else {
    throw new Error(`unknown command ${JSON.stringify(command)}: use stats or requeue`);
  }
  await db.end();
}

main(process.argv[2]).catch((error) => {
  console.error(error.message);
  process.exit(1);
});
