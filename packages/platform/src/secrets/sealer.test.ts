import { describe, expect, it } from 'vitest';
import { decodeMasterKey, encodeMasterKey, generateMasterKey, Keyring, masterKeyId } from './master-keys.js';
import { SecretSealer } from './sealer.js';

const sealerWith = (...keys: ReturnType<typeof generateMasterKey>[]) => new SecretSealer(new Keyring(keys, 'a test key'));

describe('SecretSealer: envelope encryption of config values', () => {
  const master = generateMasterKey();
  const sealer = sealerWith(master);
  const shop = sealer.createDataKey('app-shop', '2026-01-01T00:00:00.000Z');
  const blog = sealer.createDataKey('app-blog', '2026-01-01T00:00:00.000Z');

  it('round-trips values (empty, unicode, newlines), with a random IV each time and the data key id in front', () => {
    for (const value of ['', 'hunter2', 'x\ny\0z', 'päßwörd ✓ 🔑', 'a'.repeat(10_000)]) {
      const sealed = sealer.seal(shop.key, 'config:SECRET', value);
      expect(sealed).toMatch(new RegExp(`^dz1:${shop.key.id}:[A-Za-z0-9_-]+$`));
      expect(sealer.open(shop.key, 'config:SECRET', sealed)).toBe(value);
      expect(sealer.seal(shop.key, 'config:SECRET', value)).not.toBe(sealed);
    }
    const sealed = sealer.seal(shop.key, 'config:SECRET', 'hunter2');
    expect(sealed).not.toContain('hunter2');
    expect(Buffer.from(sealed.split(':')[2] as string, 'base64url').toString('latin1')).not.toContain('hunter2');
    expect(sealer.dataKeyIdOf(sealed)).toBe(shop.key.id);
    expect(sealer.dataKeyIdOf('hunter2')).toBeNull();
    expect(sealer.dataKeyIdOf('dz1:notakeyid:abc')).toBeNull();
  });

  it('binds the owner and the name: a value moved to another variable, another app or another key does not open', () => {
    const sealed = sealer.seal(shop.key, 'config:DATABASE_URL', 'postgres://u:p@h/db');
    expect(() => sealer.open(shop.key, 'config:OTHER', sealed)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    // Another app's data key, with the ciphertext relabelled with its id: the tag does not match.
    const relabelled = sealed.replace(shop.key.id, blog.key.id);
    expect(() => sealer.open(blog.key, 'config:DATABASE_URL', relabelled)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    // The same key bytes claimed by another owner (a data key row moved to another app): the owner is bound too.
    expect(() => sealer.open({ ...shop.key, ownerId: 'app-blog' }, 'config:DATABASE_URL', sealed)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    expect(() => sealer.open(blog.key, 'config:DATABASE_URL', sealed)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    const body = sealed.split(':')[2] as string;
    const flipped = `${body.slice(0, -2)}${body.endsWith('AA') ? 'AB' : 'AA'}`;
    expect(() => sealer.open(shop.key, 'config:DATABASE_URL', `dz1:${shop.key.id}:${flipped}`)).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
    expect(() => sealer.open(shop.key, 'config:DATABASE_URL', 'postgres://u:p@h/db')).toThrow(expect.objectContaining({ code: 'SECRET_UNREADABLE' }));
  });

  it('wraps data keys under the master key: another master key cannot unwrap them, and says which key id it needs', () => {
    const record = shop.record;
    expect(record.masterKeyId).toBe(master.id);
    expect(record.wrapped).not.toContain(shop.key.secret.toString('base64'));
    expect(sealer.unwrap(record).secret.equals(shop.key.secret)).toBe(true);
    const other = sealerWith(generateMasterKey());
    expect(() => other.unwrap(record)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining(`master key id ${master.id}`) }));
    // The right id, altered bytes (or a record moved to another owner): refused as a wrong key.
    const wrapped = Buffer.from(record.wrapped, 'base64');
    wrapped[wrapped.length - 1] = (wrapped[wrapped.length - 1] as number) ^ 1;
    expect(() => sealer.unwrap({ ...record, wrapped: wrapped.toString('base64') })).toThrow(expect.objectContaining({ code: 'SECRET_KEY_WRONG' }));
    expect(() => sealer.unwrap({ ...record, ownerId: 'app-blog' })).toThrow(expect.objectContaining({ code: 'SECRET_KEY_WRONG' }));
  });

  it('re-wraps a data key under a new primary master key: the data key, and so every ciphertext, stays the same', () => {
    const sealed = sealer.seal(shop.key, 'config:SECRET', 'hunter2');
    const next = generateMasterKey();
    const rotating = sealerWith(next, master);
    const rewrapped = rotating.rewrap(shop.record);
    expect(rewrapped).toMatchObject({ id: shop.record.id, ownerId: 'app-shop', masterKeyId: next.id });
    expect(rotating.rewrap(rewrapped)).toBe(rewrapped);
    const afterwards = sealerWith(next);
    expect(afterwards.open(afterwards.unwrap(rewrapped), 'config:SECRET', sealed)).toBe('hunter2');
    expect(() => sealerWith(master).unwrap(rewrapped)).toThrow(expect.objectContaining({ code: 'SECRET_KEY_MISSING', message: expect.stringContaining(next.id) }));
  });

  it('digests values per data key (unique columns without plain text)', () => {
    expect(sealer.digest(shop.key, 'syslog://a:1')).toBe(sealer.digest(shop.key, 'syslog://a:1'));
    expect(sealer.digest(shop.key, 'syslog://a:1')).not.toBe(sealer.digest(shop.key, 'syslog://a:2'));
    expect(sealer.digest(shop.key, 'syslog://a:1')).not.toBe(sealer.digest(blog.key, 'syslog://a:1'));
    expect(sealer.digest(shop.key, 'syslog://a:1')).not.toContain('syslog');
  });
});

describe('master keys', () => {
  it('derive a 16-hex-digit id from the key, the same for the same key, and decode only base64 of 32 bytes', () => {
    const key = generateMasterKey();
    expect(key.id).toMatch(/^[0-9a-f]{16}$/);
    expect(masterKeyId(Buffer.from(key.key))).toBe(key.id);
    expect(generateMasterKey().id).not.toBe(key.id);
    expect(decodeMasterKey(encodeMasterKey(key), 'test').id).toBe(key.id);
    expect(() => decodeMasterKey(Buffer.alloc(16).toString('base64'), 'DOZEN_SECRET_KEY')).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID', message: expect.stringContaining('16 bytes') }));
    expect(() => decodeMasterKey('not base64!', 'DOZEN_SECRET_KEY')).toThrow(expect.objectContaining({ code: 'SECRET_KEY_INVALID' }));
  });

  it('keep the primary first; rotation promotes a new one and can drop the others', () => {
    const [a, b] = [generateMasterKey(), generateMasterKey()];
    const ring = new Keyring([a, b, a], 'test');
    expect(ring.ids).toEqual([a.id, b.id]);
    const c = generateMasterKey();
    ring.promote(c);
    expect(ring.primary.id).toBe(c.id);
    expect(ring.dropOld()).toEqual([a.id, b.id]);
    expect(ring.ids).toEqual([c.id]);
  });
});
