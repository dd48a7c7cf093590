// The release phase (Procfile `release:`) runs this before a new release serves; it is also
// safe to run by hand with `dozen run -a APP -- node migrate.js`. Idempotent.
const { connect } = require('./lib/db');

async function main() {
  const db = connect();
  if (!db) {
    console.log('DATABASE_URL is not set: nothing to migrate (attach one: dozen addons:create postgres)');
    return;
  }
  await db.query(`
    create table if not exists entries (
      id serial primary key,
      name text not null,
      message text not null,
      words integer,
      created_at timestamptz not null default now(),
      processed_at timestamptz
    )`);
  console.log('migrated: table entries is ready');
  await db.end();
}

main().catch((error) => {
  console.error(`migration failed: ${error.message}`);
  process.exit(1);
});
