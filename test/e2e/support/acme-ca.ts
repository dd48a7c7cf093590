import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const HOSTS = '/etc/hosts';

/**
 * A real ACME CA on loopback: Debian's caddy with `acme_server` and `tls internal` (offline, its
 * own root). `directory` is its ACME directory; `rootPem` the root to trust.
 */
export class CaddyCa {
  readonly dir = mkdtempSync(join(tmpdir(), 'dozen-caddy-'));
  private child: ChildProcess | null = null;
  port = 0;
  output = '';

  constructor(readonly name: string) {}

  get directory(): string {
    return `https://${this.name}:${this.port}/acme/local/directory`;
  }

  get rootFile(): string {
    return join(this.dir, 'storage', 'pki', 'authorities', 'local', 'root.crt');
  }

  get rootPem(): string {
    return readFileSync(this.rootFile, 'utf8');
  }

  async start(): Promise<void> {
    if (this.port === 0) this.port = await freePort();
    writeFileSync(
      join(this.dir, 'Caddyfile'),
      `{\n  local_certs\n  skip_install_trust\n  admin off\n  auto_https disable_redirects\n  storage file_system ${join(this.dir, 'storage')}\n}\nhttps://${this.name}:${this.port} {\n  tls internal\n  acme_server\n}\n`,
    );
    const child = spawn('caddy', ['run', '--config', join(this.dir, 'Caddyfile'), '--adapter', 'caddyfile'], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: this.dir, XDG_DATA_HOME: this.dir, XDG_CONFIG_HOME: this.dir } });
    this.child = child;
    child.stdout?.on('data', (c: Buffer) => (this.output += c.toString()));
    child.stderr?.on('data', (c: Buffer) => (this.output += c.toString()));
    const deadline = Date.now() + 20_000;
    while (!(existsSync(this.rootFile) && (await answers(this.port)))) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`caddy did not start:\n${this.output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((done) => {
      child.once('exit', () => done());
      child.kill('SIGTERM');
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Lines added to /etc/hosts for the test (names -> loopback addresses), taken out again by `remove`. */
export class HostsLines {
  private readonly marker = `# dozen-e2e-${process.pid}`;

  constructor(private readonly entries: Array<[string, string]>) {}

  add(): void {
    const lines = this.entries.map(([address, name]) => `${address} ${name} ${this.marker}`).join('\n');
    writeFileSync(HOSTS, `${readFileSync(HOSTS, 'utf8').replace(/\n?$/, '\n')}${lines}\n`);
  }

  remove(): void {
    writeFileSync(HOSTS, readFileSync(HOSTS, 'utf8').split('\n').filter((line) => !line.endsWith(this.marker)).join('\n'));
  }
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createServer();
    socket.once('error', () => resolve(true));
    socket.listen(port, '127.0.0.1', () => socket.close(() => resolve(false)));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}
