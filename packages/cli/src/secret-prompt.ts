import { createInterface } from 'node:readline/promises';

/**
 * A password: DOZEN_PASSWORD when set, else typed on the terminal without echo, else the first
 * line of stdin (scripts and tests). Never an argument: argv is visible to every user of the host.
 */
export async function readSecret(prompt: string, preset: string | undefined, interactive: boolean): Promise<string> {
  if (preset) return preset;
  return interactive ? readHidden(prompt) : readLine('', false);
}

/** A line: asked on the terminal, or the next line of piped stdin (email, then password). */
export async function readLine(prompt: string, interactive: boolean): Promise<string> {
  if (!interactive) return ((await pipedLines())[nextLine++] ?? '').trim();
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  try {
    return (await rl.question(prompt)).trim();
  } finally {
    rl.close();
  }
}

let piped: Promise<string[]> | undefined;
let nextLine = 0;

/** Piped stdin read once, whole: two readline interfaces in a row would lose what the first buffered. */
function pipedLines(): Promise<string[]> {
  piped ??= (async () => {
    let text = '';
    for await (const chunk of process.stdin) text += String(chunk);
    return text.split(/\r?\n/);
  })();
  return piped;
}

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const input = process.stdin;
    let typed = '';
    process.stderr.write(prompt);
    input.setRawMode(true);
    input.resume();
    const done = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(typed);
    };
    const onData = (chunk: Buffer) => {
      for (const char of chunk.toString('utf8')) {
        if (char === '\r' || char === '\n') return done();
        if (char === '\u0003') return done(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    input.on('data', onData);
  });
}
