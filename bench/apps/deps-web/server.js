// The walkthrough's web process (examples/node-web), on express: answers with its release.
const express = require('express');

const release = process.env.DOZEN_RELEASE || 'dev';
const app = express();
app.get('/', (req, res) => res.json({ greeting: process.env.GREETING || 'Hello from Dozen', release }));
const server = app.listen(Number(process.env.PORT || 3000));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
