import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startExternalPostgres, type ExternalPostgres } from '../../../packages/platform/src/test-support/external-postgres.js';
import { withClient } from '../../../packages/platform/src/test-support/pg-resource-client.js';
import { freePort } from '../../../packages/platform/src/net/free-port.js';
import { claimNetworkRange, releaseNetworkRange } from './network-range.js';
import { TestPlatform } from './platform.js';
import { RoleProcess } from './role-process.js';

/**
 * A cluster of `dozen serve` processes on one machine and one PostgreSQL (issue 19): 2 api,
 * 1 router, 1 builder, 2 runtime (a leader and a standby for the same host). Each api and the
 * builder have a data dir of their own; the router and the runtimes share the host's.
 */
export class TestCluster {
  readonly apis: RoleProcess[] = [];
  readonly runtimes: RoleProcess[] = [];
  router!: RoleProcess;
  builder!: RoleProcess;
  /** The host's data dir (router and runtimes): the slugs and app processes live below it. */
  readonly hostDir = mkdtempSync(join(tmpdir(), 'dozen-roles-host-'));
  private readonly dirs: string[] = [this.hostDir];
  private readonly range = claimNetworkRange();
  private server: ExternalPostgres | null = null;
  databaseUrl = '';
  private env: Record<string, string> = {};

  /** `extraEnv`: for every role (e.g. DOZEN_BUILDPACK_DIRS). */
  constructor(private readonly extraEnv: Record<string, string> = {}) {}

  async start(): Promise<void> {
    this.server = await startExternalPostgres({ throwaway: true });
    await withClient(this.server.adminUrl, (client) => client.query('CREATE DATABASE dozen'));
    const url = new URL(this.server.adminUrl);
    url.pathname = '/dozen';
    this.databaseUrl = url.toString();
    this.env = {
      DATABASE_URL: this.databaseUrl,
      DOZEN_SECRET_KEY: randomBytes(32).toString('base64'),
      DOZEN_CLUSTER_TOKEN: randomBytes(24).toString('hex'),
      DOZEN_HOST_ID: 'test-host',
      DOZEN_APP_NETWORK: this.range,
      DOZEN_GRACE_PERIOD: '5',
      DOZEN_BUILDER_TIMEOUT: '3',
      DOZEN_ROUTER_HTTPS_PORT: 'off',
      DOZEN_ACME_DIRECTORY: 'off',
      DOZEN_DRAIN_ALLOW_LOOPBACK: '1',
      ...this.extraEnv,
    };
    // The apis' ports are known before they start: the runtimes and the builder fetch artefacts from them.
    const ports = [await freePort(), await freePort()];
    const apiUrls = ports.map((port) => `http://127.0.0.1:${port}`).join(',');
    // The host: its edge first (the router role), then its runtime leader and standby; the first of
    // them migrates the store, the others wait for the migration's lock.
    // --stop-apps: its SIGTERM at the end stops the host's apps with it.
    this.router = await this.role('router', 'router', { DOZEN_DATA_DIR: this.hostDir, HOME: this.hostDir, DOZEN_ROUTER_PORT: '0' }, ['--stop-apps']).start();
    for (const name of ['runtime-a', 'runtime-b']) this.runtimes.push(await this.role('runtime', name, { DOZEN_DATA_DIR: this.hostDir, HOME: this.hostDir, DOZEN_API_URLS: apiUrls, DOZEN_RELAY_PORT: '0' }).start());
    for (const [index, port] of ports.entries()) this.apis.push(await this.role('api', `api-${index + 1}`, { ...this.ownDir(), PORT: String(port) }).start());
    this.builder = await this.role('builder', 'builder', { ...this.ownDir(), DOZEN_API_URLS: apiUrls }).start();
  }

  /** The router's port (apps are reached at <app>.localhost on it). */
  get routerPort(): number {
    return Number(this.router.ready.routerPort);
  }

  /** A TestPlatform handle for the CLI against api `index` (its data dir holds its admin token). */
  cliOf(index: number): TestPlatform {
    const api = this.apis[index] as RoleProcess;
    const handle = new TestPlatform(String(api.ready.dataDir), { DOZEN_APP_NETWORK: this.range });
    handle.apiUrl = String(api.ready.api);
    handle.routerPort = this.routerPort;
    return handle;
  }

  async destroy(): Promise<void> {
    for (const role of [this.builder, ...this.apis, ...this.runtimes]) await role?.stop();
    // The router stops the apps it runs on SIGTERM.
    await this.router?.stop();
    await this.server?.stop();
    releaseNetworkRange(this.range);
    for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }

  private ownDir(): Record<string, string> {
    const dir = mkdtempSync(join(tmpdir(), 'dozen-roles-'));
    this.dirs.push(dir);
    return { DOZEN_DATA_DIR: dir, HOME: dir, PORT: '0' };
  }

  private role(role: RoleProcess['role'], name: string, env: Record<string, string>, args: string[] = []): RoleProcess {
    return new RoleProcess(role, name, { ...this.env, ...env }, args);
  }
}
