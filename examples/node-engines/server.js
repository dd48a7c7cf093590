// Answers with the Node.js version it runs on: the one engines.node asked for.
const http = require('node:http');

http
  .createServer((req, res) => {
    const body = JSON.stringify({ node: process.version, release: process.env.DOZEN_RELEASE || 'dev' });
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  })
  .listen(Number(process.env.PORT || 3000));
