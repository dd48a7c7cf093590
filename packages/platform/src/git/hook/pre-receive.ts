/**
 * git's pre-receive hook for Dozen's repositories (a program of its own, run by git with the
 * environment Dozen gave http-backend). It sends the ref updates and the quarantine path to the
 * platform over its Unix socket, prints what the platform answers (git shows it to the pusher
 * as `remote:` lines, live) and exits 0 to let git update the refs, 1 to refuse the push.
 */
import { request } from 'node:http';

const env = process.env;

function fail(message: string): void {
  process.stdout.write(` !     ${message}\n !     Push rejected.\n`);
  process.exitCode = 1;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

async function main(): Promise<void> {
  const socketPath = env.DOZEN_HOOK_SOCKET;
  const token = env.DOZEN_PUSH_TOKEN;
  if (!socketPath || !token) return fail('This repository accepts pushes only through Dozen.');
  const body = JSON.stringify({ updates: await readStdin(), quarantine: env.GIT_QUARANTINE_PATH ?? null });
  const req = request({ socketPath, method: 'POST', path: '/push', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
  req.on('error', (error) => fail(`Lost the connection to Dozen: ${error.message}.`));
  req.on('response', (res) => {
    let pending = '';
    let accepted = false;
    res.setEncoding('utf8');
    res.on('data', (text: string) => {
      pending += text;
      let newline: number;
      while ((newline = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, newline);
        pending = pending.slice(newline + 1);
        if (res.statusCode !== 200) {
          process.stdout.write(`${line}\n`);
          continue;
        }
        const message = JSON.parse(line) as { line?: string; accepted?: boolean };
        if (typeof message.line === 'string') process.stdout.write(message.line.endsWith('\n') ? message.line : `${message.line}\n`);
        if (message.accepted === true) accepted = true;
      }
    });
    res.on('end', () => {
      process.exitCode = accepted ? 0 : 1;
    });
    res.on('error', (error) => fail(`Lost the connection to Dozen: ${error.message}.`));
  });
  req.end(body);
}

main().catch((error: unknown) => fail(`The pre-receive hook failed: ${(error as Error).message}.`));
