// The web process: reads and writes guestbook entries in Postgres, hands each new entry to the
// worker through Redis. Config from the environment, binds PORT, logs to stdout, stops on SIGTERM.
const http = require('node:http');
const db = require('./lib/db').connect();
const { connect, QUEUE } = require('./lib/queue');

const queue = connect({ maxRetriesPerRequest: 2 });
const port = Number(process.env.PORT || 3000);
const processName = process.env.DOZEN_PROCESS || 'web.1';

if (!db) console.log('DATABASE_URL is not set: entries answer 503 until a database is attached');

const server = http.createServer((req, res) => {
  route(req, res).catch((error) => {
    console.log(`${req.method} ${req.url} failed: ${error.message}`);
    send(res, 503, { error: 'the database is not available right now', detail: error.message });
  });
});

async function route(req, res) {
  const url = new URL(req.url, 'http://guestbook');
  if (url.pathname === '/' && req.method === 'GET') return sendPage(res);
  if (!db) return send(res, 503, { error: 'no database attached (DATABASE_URL is not set)' });
  if (url.pathname === '/entries' && req.method === 'GET') {
    const { rows } = await db.query('select * from entries order by id desc limit 100');
    return send(res, 200, rows);
  }
  if (url.pathname === '/entries' && req.method === 'POST') return createEntry(req, res);
  const match = /^\/entries\/(\d+)$/.exec(url.pathname);
  if (match && req.method === 'GET') {
    const { rows } = await db.query('select * from entries where id = $1', [Number(match[1])]);
    return rows.length > 0 ? send(res, 200, rows[0]) : send(res, 404, { error: 'no such entry' });
  }
  return send(res, 404, { error: 'not found' });
}

async function createEntry(req, res) {
  const input = await readBody(req);
  const name = String(input.name || '').trim().slice(0, 100);
  const message = String(input.message || '').trim().slice(0, 1000);
  if (!name || !message) return send(res, 422, { error: 'name and message are required' });
  const { rows } = await db.query('insert into entries (name, message) values ($1, $2) returning *', [name, message]);
  const entry = rows[0];
  if (queue) await queue.lpush(QUEUE, String(entry.id));
  console.log(`entry ${entry.id} by ${name} stored (${processName})`);
  if ((req.headers['content-type'] || '').includes('application/x-www-form-urlencoded')) {
    res.writeHead(303, { location: '/' });
    return res.end();
  }
  return send(res, 201, entry);
}

async function sendPage(res) {
  const rows = db ? (await db.query('select * from entries order by id desc limit 50')).rows : [];
  const escape = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const items = rows.map((e) => `<li><b>${escape(e.name)}</b>: ${escape(e.message)} <small>${e.processed_at ? `${e.words} words` : 'pending'}</small></li>`).join('');
  const html = `<!doctype html><title>Guestbook</title><h1>Guestbook</h1><form method="post" action="/entries"><input name="name" placeholder="name"> <input name="message" placeholder="message" size="40"> <button>Sign</button></form><ul>${items}</ul>`;
  res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
  res.end(html);
}

function readBody(req) {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
      if (body.length > 64 * 1024) req.destroy(new Error('body too large'));
    });
    req.on('end', () => {
      try {
        const type = req.headers['content-type'] || '';
        resolve(type.includes('application/json') ? JSON.parse(body || '{}') : Object.fromEntries(new URLSearchParams(body)));
      } catch (error) {
        reject(error);
      }
    });
    req.on('error', reject);
  });
}

function send(res, status, value) {
  const body = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

server.listen(port, () => console.log(`guestbook listening on port ${port} as ${processName}`));

process.on('SIGTERM', () => {
  console.log('SIGTERM received: closing');
  server.close(async () => {
    await Promise.allSettled([db && db.end(), queue && queue.quit()]);
    process.exit(0);
  });
  server.closeIdleConnections();
  setTimeout(() => process.exit(0), 5000).unref();
});
