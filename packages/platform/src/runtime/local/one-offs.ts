import type { OneOff, OneOffRequest, RunTarget } from '../../core/ports/runtime.js';
import type { ProcessStatus } from '../../core/model.js';
import { SHELL } from './managed-process.js';
import { startOneOff } from './one-off.js';
import { clientOnNetwork, envOnNetwork } from './addon-reach.js';
import { addonPortsOf, launchFor, limitsOf } from './process-launch.js';
import { oneOffStatus, type OneOffEntry } from './process-status.js';
import type { ReconcilerContext } from './reconciler-context.js';

/** One app's one-off processes (`run.4821`, `release.7`): started on demand, never restarted. */
export class OneOffs {
  private readonly running = new Map<string, OneOffEntry>();

  constructor(
    private readonly app: string,
    private readonly context: ReconcilerContext,
    private readonly graceOf: (type: string) => number,
  ) {}

  start(target: RunTarget, request: OneOffRequest): OneOff {
    const name = request.name ?? this.freeName();
    const [type = 'run', index = '0'] = name.split('.');
    const launch = async () => {
      const ports = addonPortsOf(target);
      const address = await this.context.network.prepare(this.app, ports);
      // An add-on client (request.env set) names its server by host: on the app's network, the gateway.
      const client = request.env && address.gateway !== null ? clientOnNetwork(request.command, envOnNetwork(request.env, ports, address.gateway), address.gateway) : { command: request.command, env: request.env };
      const argv = client.command.length === 1 ? [SHELL, '-c', client.command[0] as string] : client.command;
      const launch = launchFor(this.context.launch, target, name, argv, null, address);
      if (request.tty) launch.env.TERM = request.tty.term;
      if (request.size !== undefined) launch.limits = limitsOf(this.context.launch.sizes, request.size);
      // An add-on client's credentials: on top of the release's env, never on a command line.
      if (client.env) Object.assign(launch.env, client.env);
      return launch;
    };
    const spec = { name, launch, timeoutMs: request.timeoutMs, tty: request.tty, memorySampleMs: this.context.defaults.memorySampleMs };
    const line = (source: 'app' | 'dozen') => (message: string) => this.context.logs.append({ app: this.app, source, process: name, message });
    const run = startOneOff(this.context.sandbox, spec, request, line('app'), line('dozen'));
    this.running.set(name, { run, type, index: Number(index) || 0, release: target.release, command: request.command.join(' '), startedAt: new Date(), usage: () => run.usage() });
    void run.exit.then(({ code, signal }) => {
      this.running.delete(name);
      line('dozen')(`Process exited with ${code !== null ? `status ${code}` : `signal ${signal}`}`);
    });
    return run;
  }

  has(name: string): boolean {
    return this.running.has(name);
  }

  /** SIGTERM (or `signal`), SIGKILL after the type's grace period; resolves once it has exited. */
  async stop(name: string, signal: 'SIGTERM' | 'SIGKILL' = 'SIGTERM'): Promise<void> {
    const entry = this.running.get(name);
    if (!entry) return;
    entry.run.kill(signal);
    const timer = setTimeout(() => entry.run.kill('SIGKILL'), this.graceOf(entry.type));
    await entry.run.exit;
    clearTimeout(timer);
  }

  async stopAll(signal: 'SIGTERM' | 'SIGKILL'): Promise<void> {
    await Promise.all([...this.running.keys()].map((name) => this.stop(name, signal)));
  }

  list(sandboxed: boolean): ProcessStatus[] {
    return [...this.running.values()].map((entry) => oneOffStatus(entry, sandboxed));
  }

  /** `run.NNNN` (Heroku's shape), not one that is running. */
  private freeName(): string {
    for (let attempt = 0; attempt < 100; attempt++) {
      const name = `run.${1000 + Math.floor(this.context.random() * 9000)}`;
      if (!this.running.has(name)) return name;
    }
    return `run.${10_000 + this.context.nextId()}`;
  }
}
