import type { Kysely, Selectable } from 'kysely';
import { DozenError } from '@dozen/contracts/errors';
import type { ConfigVars } from '../core/model.js';
import type { DataKey, DataKeyRecord, SecretBox, ValueSealer } from '../shared-ports/value-sealer.js';
import type { Database, DataKeysTable } from './schema.js';

/** The owner of the sentinel data key: made at the first start, checked at every start. */
export const PLATFORM_OWNER = 'platform';

/**
 * The store's side of secrets at rest: finds (or makes) an owner's data key in `data_keys`, and
 * seals and opens values through the sealer. Unwrapped keys are cached once read outside a
 * transaction (a key read inside one might be rolled back with it).
 */
export class SecretFields {
  private readonly byOwner = new Map<string, DataKey>();
  private readonly byId = new Map<string, DataKey>();

  constructor(readonly sealer: ValueSealer) {}

  async keyFor(db: Kysely<Database>, ownerId: string, cache: boolean): Promise<DataKey> {
    const cached = this.byOwner.get(ownerId);
    if (cached) return cached;
    let row = await db.selectFrom('data_keys').selectAll().where('owner_id', '=', ownerId).executeTakeFirst();
    if (!row) {
      const { record } = this.sealer.createDataKey(ownerId, new Date().toISOString());
      await db.insertInto('data_keys').values(toRow(record)).onConflict((c) => c.column('owner_id').doNothing()).execute();
      row = await db.selectFrom('data_keys').selectAll().where('owner_id', '=', ownerId).executeTakeFirstOrThrow();
    }
    return this.remember(this.sealer.unwrap(fromRow(row)), cache);
  }

  async keyById(db: Kysely<Database>, id: string, cache: boolean): Promise<DataKey> {
    const cached = this.byId.get(id);
    if (cached) return cached;
    const row = await db.selectFrom('data_keys').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) throw new DozenError('SECRET_UNREADABLE', `A stored value names data key ${id}, which the store does not have.`);
    return this.remember(this.sealer.unwrap(fromRow(row)), cache);
  }

  async seal(db: Kysely<Database>, ownerId: string, name: string, value: string, cache: boolean): Promise<string> {
    return this.sealer.seal(await this.keyFor(db, ownerId, cache), name, value);
  }

  async open(db: Kysely<Database>, ownerId: string, name: string, stored: string, cache: boolean): Promise<string> {
    const keyId = this.sealer.dataKeyIdOf(stored);
    if (keyId === null) throw new DozenError('SECRET_UNREADABLE', `The stored value of ${name} (owner ${ownerId}) is not sealed.`);
    const key = await this.keyById(db, keyId, cache);
    if (key.ownerId !== ownerId) throw new DozenError('SECRET_UNREADABLE', `The stored value of ${name} (owner ${ownerId}) was sealed for another owner.`);
    return this.sealer.open(key, name, stored);
  }

  async sealConfig(db: Kysely<Database>, appId: string, config: ConfigVars, cache: boolean): Promise<ConfigVars> {
    const key = await this.keyFor(db, appId, cache);
    return Object.fromEntries(Object.entries(config).map(([name, value]) => [name, this.sealer.seal(key, configName(name), value)]));
  }

  async openConfig(db: Kysely<Database>, appId: string, config: ConfigVars, cache: boolean): Promise<ConfigVars> {
    const opened: ConfigVars = {};
    for (const [name, value] of Object.entries(config)) opened[name] = await this.open(db, appId, configName(name), value, cache);
    return opened;
  }

  /** The keyed digest that keeps a sealed column unique per owner. */
  async digest(db: Kysely<Database>, ownerId: string, value: string, cache: boolean): Promise<string> {
    return this.sealer.digest(await this.keyFor(db, ownerId, cache), value);
  }

  /** After an app (and its data key) is deleted. */
  forget(ownerId: string): void {
    const key = this.byOwner.get(ownerId);
    this.byOwner.delete(ownerId);
    if (key) this.byId.delete(key.id);
  }

  private remember(key: DataKey, cache: boolean): DataKey {
    if (cache) {
      this.byOwner.set(key.ownerId, key);
      this.byId.set(key.id, key);
    }
    return key;
  }
}

/** The platform's own secrets outside the store, sealed under the sentinel data key (`platform:<name>`). */
export function platformBox(db: Kysely<Database>, fields: SecretFields): SecretBox {
  return {
    isSealed: (value) => fields.sealer.dataKeyIdOf(value) !== null,
    seal: (name, value) => fields.seal(db, PLATFORM_OWNER, `platform:${name}`, value, true),
    open: (name, sealed) => fields.open(db, PLATFORM_OWNER, `platform:${name}`, sealed, true),
  };
}

/** The associated-data names of sealed fields: a config var, an add-on's URL, a drain's URL. */
export function configName(name: string): string {
  return `config:${name}`;
}

export function addonFieldName(addonId: string, field: string): string {
  return `addon:${addonId}:${field}`;
}

export function drainUrlName(drainId: string): string {
  return `drain:${drainId}:url`;
}

/** A TLS certificate's private key, under its app's data key. */
export function certificateKeyName(certificateId: string): string {
  return `certificate:${certificateId}:key`;
}

/** An ACME account key, under the platform's (sentinel) data key: accounts belong to no app. */
export function acmeAccountKeyName(directory: string): string {
  return `acme-account:${directory}`;
}

export function toRow(record: DataKeyRecord): DataKeysTable {
  return { id: record.id, owner_id: record.ownerId, master_key_id: record.masterKeyId, wrapped: record.wrapped, created_at: record.createdAt };
}

export function fromRow(row: Selectable<DataKeysTable>): DataKeyRecord {
  return { id: row.id, ownerId: row.owner_id, masterKeyId: row.master_key_id, wrapped: row.wrapped, createdAt: row.created_at };
}
