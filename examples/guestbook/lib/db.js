// The database is an attached resource: everything about it is in DATABASE_URL (factor IV).
const { Pool } = require('pg');

function connect() {
  if (!process.env.DATABASE_URL) return null;
  const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 5, connectionTimeoutMillis: 5000 });
  // An idle connection that dies (the server restarted) is dropped from the pool; the next query
  // opens a fresh one. Without this handler the error would crash the process.
  pool.on('error', (error) => console.log(`database connection lost: ${error.message}`));
  return pool;
}

module.exports = { connect };
