import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CONFIG_KEY_PATTERN } from '../core/names.js';
import type { AddonProvider, ProvisionRequest } from '../core/ports/addons.js';

/** Reaches a resource the way an app would, with nothing but its URL. */
export interface ResourceClient {
  /** Stores `value` under `key` in the resource (a table row, a prefixed key). */
  write(url: string, key: string, value: string): Promise<void>;
  read(url: string, key: string): Promise<string | null>;
  /** With `url`'s credentials, tries to read `key` from the other add-on (`otherUrl`); true if it could. */
  readsOther(url: string, otherUrl: string, key: string): Promise<boolean>;
  /** Whether a new connection with `url` is accepted. */
  connects(url: string): Promise<boolean>;
  /** Whether anyone can get in without credentials. */
  anonymousAccess(url: string): Promise<boolean>;
}

export interface ConformanceSubject {
  provider: AddonProvider;
  /** What a provision request needs beyond id and plan (the url provider: a URL). */
  extra?: (index: number) => Partial<ProvisionRequest>;
  /** For providers that issue credentials: how an app reaches the resource. */
  client?: ResourceClient;
}

let counter = 0;
const nextId = () => `${randomUUID()}`;

/** The behaviour every AddonProvider must have. Run it against each provider and server kind. */
export function addonProviderConformance(name: string, subject: () => ConformanceSubject, options: { issuesCredentials: boolean }): void {
  describe(`AddonProvider conformance: ${name}`, () => {
    const provision = async (plan?: string) => {
      const { provider, extra } = subject();
      return provider.provision({ addonId: nextId(), plan: plan ?? (provider.plans[0] as string), ...extra?.(counter++) });
    };

    it('declares its plans and the config var it sets', () => {
      const { provider } = subject();
      expect(provider.name).toMatch(/^[a-z][a-z0-9-]*$/);
      expect(provider.plans.length).toBeGreaterThan(0);
      if (provider.defaultConfigVar !== null) expect(provider.defaultConfigVar).toMatch(CONFIG_KEY_PATTERN);
    });

    it('provisions on every plan a URL, and info that never shows the credentials', async () => {
      const { provider } = subject();
      for (const plan of provider.plans) {
        const made = await provision(plan);
        expect(() => new URL(made.url)).not.toThrow();
        const info = await provider.info(made.resource);
        const password = decodeURIComponent(new URL(made.url).password);
        if (password) expect(JSON.stringify(info)).not.toContain(password);
        expect(Object.keys(info).length).toBeGreaterThan(0);
        await provider.deprovision(made.resource);
      }
    });

    it('deprovisions idempotently', async () => {
      const { provider } = subject();
      const made = await provision();
      await provider.deprovision(made.resource);
      await provider.deprovision(made.resource);
    });

    if (!options.issuesCredentials) {
      it('has no credentials of its own to rotate', async () => {
        const made = await provision();
        await expect(subject().provider.rotateCredentials(made.resource)).rejects.toMatchObject({ code: 'ADDON_ROTATE_UNSUPPORTED' });
      });
      return;
    }

    describe('issued credentials', () => {
      const client = () => {
        const found = subject().client;
        if (!found) throw new Error('a provider that issues credentials needs a ResourceClient in its conformance subject');
        return found;
      };

      it('give the app its own resource: data round-trips, gone after deprovision', async () => {
        const { provider } = subject();
        const made = await provision();
        await client().write(made.url, 'greeting', 'hello');
        expect(await client().read(made.url, 'greeting')).toBe('hello');
        await provider.deprovision(made.resource);
        expect(await client().connects(made.url)).toBe(false);
      });

      it("isolate add-ons: one add-on's credentials cannot read another's data, and nobody gets in without any", async () => {
        const { provider } = subject();
        const [a, b] = [await provision(), await provision()];
        await client().write(b.url, 'secret', 'b-only');
        expect(await client().readsOther(a.url, b.url, 'secret')).toBe(false);
        expect(await client().read(b.url, 'secret')).toBe('b-only');
        expect(await client().anonymousAccess(a.url)).toBe(false);
        await provider.deprovision(a.resource);
        await provider.deprovision(b.resource);
      });

      it('rotate: the new URL works on the same data, the old one no longer connects', async () => {
        const { provider } = subject();
        const made = await provision();
        await client().write(made.url, 'kept', 'yes');
        const rotated = await provider.rotateCredentials(made.resource);
        expect(rotated.url).not.toBe(made.url);
        expect(await client().read(rotated.url, 'kept')).toBe('yes');
        expect(await client().connects(made.url)).toBe(false);
        await provider.deprovision(rotated.resource);
      });
    });
  });
}
