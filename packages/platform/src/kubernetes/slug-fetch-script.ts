/**
 * What the init container runs (`node -e`): fetches DOZEN_SLUG_URL with the slug's token, hashes
 * the archive while it is written, refuses it unless its sha256 is DOZEN_SLUG_SHA256, then
 * unpacks it with the image's tar into DOZEN_SLUG_DIR. CommonJS, nothing but Node.js built-ins.
 * No leading newline: Podman's YAML reader (4.3) refuses a quoted string that starts with one.
 */
export const SLUG_FETCH_SCRIPT = `const { createHash } = require('node:crypto');
const { createWriteStream, rmSync } = require('node:fs');
const { execFileSync } = require('node:child_process');
const { Readable, Transform } = require('node:stream');
const { pipeline } = require('node:stream/promises');
const env = process.env;
const fail = (message) => { console.error('slug: ' + message); process.exit(1); };
(async () => {
  const response = await fetch(env.DOZEN_SLUG_URL, { headers: { authorization: 'Bearer ' + env.DOZEN_SLUG_TOKEN } });
  if (!response.ok || !response.body) fail('GET ' + env.DOZEN_SLUG_URL + ' answered HTTP ' + response.status);
  const hash = createHash('sha256');
  const file = '/tmp/slug.tar.gz';
  await pipeline(Readable.fromWeb(response.body), new Transform({ transform(chunk, _, done) { hash.update(chunk); done(null, chunk); } }), createWriteStream(file));
  const digest = hash.digest('hex');
  if (digest !== env.DOZEN_SLUG_SHA256) fail('sha256 ' + digest + ' is not the expected ' + env.DOZEN_SLUG_SHA256);
  execFileSync('/bin/tar', ['-xzf', file, '-C', env.DOZEN_SLUG_DIR], { stdio: 'inherit' });
  rmSync(file);
  console.log('slug: ' + digest + ' unpacked into ' + env.DOZEN_SLUG_DIR);
})().catch((error) => fail(error.message));`;
