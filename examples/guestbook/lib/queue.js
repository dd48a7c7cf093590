// The job queue is a Redis list. A Dozen redis add-on may only touch keys under its user name
// and a colon, so the prefix comes from REDIS_URL itself: no extra config var.
const { Redis } = require('ioredis');

const QUEUE = 'jobs';

function connect(options = {}) {
  const url = process.env.REDIS_URL;
  if (!url) return null;
  const user = decodeURIComponent(new URL(url).username);
  const redis = new Redis(url, { keyPrefix: user ? `${user}:` : '', ...options });
  redis.on('error', (error) => console.log(`redis: ${error.message}`));
  return redis;
}

module.exports = { connect, QUEUE };
