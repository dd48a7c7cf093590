import type { AddonResource } from '../model.js';

/** Add-on providers (backing services) and their admin clients. */
export interface ProvisionRequest {
  /** The add-on's id: providers derive their resource names from it. */
  addonId: string;
  plan: string;
  /** The `url` provider's input. */
  url?: string;
}

export interface ProvisionedAddon {
  url: string;
  resource: AddonResource;
}

/**
 * A kind of backing service (postgres, redis, url). Every implementation passes the conformance
 * suite in addons/addon-conformance.ts.
 */
export interface AddonProvider {
  readonly name: string;
  /** The first is the default. */
  readonly plans: readonly string[];
  /** The config var an attachment sets when none is named; null: a name must be given. */
  readonly defaultConfigVar: string | null;
  /** Creates the resource and its credentials. On failure nothing is left behind (DozenError ADDON_*). */
  provision(request: ProvisionRequest): Promise<ProvisionedAddon>;
  /** Deletes the resource with its data and disconnects its clients; a resource already gone is fine. */
  deprovision(resource: AddonResource): Promise<void>;
  /** Facts for `addons:info`; never credentials. */
  info(resource: AddonResource): Promise<Record<string, string>>;
  /** New credentials; the old ones stop working for new connections. */
  rotateCredentials(resource: AddonResource): Promise<ProvisionedAddon>;
}

export type AddonClientTool = 'psql' | 'redis-cli';

/** The registry of providers, and the admin clients that reach their resources. */
export interface AddonProviders {
  get(name: string): AddonProvider | undefined;
  names(): string[];
  /** The argv and env of `tool` connected to `url` (credentials in env, not argv). */
  client(tool: AddonClientTool, url: string, args: string[]): { command: string[]; env: Record<string, string> };
}
