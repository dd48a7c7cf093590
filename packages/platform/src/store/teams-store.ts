import type { Kysely } from 'kysely';
import type { AppAccess, Permission, Token, User } from '../core/model.js';
import type { TokensStore } from '../core/ports/tokens-store.js';
import type { UsersStore } from '../core/ports/users-store.js';
import type { Database, TokensTable, UsersTable } from './schema.js';

/**
 * Users, app access and tokens on Kysely (issue 13). KyselyStore extends it, so a transaction's
 * store has these too.
 */
export class KyselyTeamsStore implements UsersStore, TokensStore {
  constructor(protected readonly db: Kysely<Database>) {}

  async insertToken(token: Token): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({
        id: token.id,
        hash: token.hash,
        role: token.role,
        description: token.description,
        created_at: token.createdAt,
        user_id: token.userId,
        app_id: token.appId,
        permissions: token.permissions === null ? null : JSON.stringify(token.permissions),
        expires_at: token.expiresAt,
        revoked_at: token.revokedAt,
        last_used_at: token.lastUsedAt,
      })
      .execute();
  }

  async findTokenByHash(hash: string): Promise<Token | undefined> {
    const row = await this.db.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
    return row && fromTokenRow(row);
  }

  async findToken(tokenId: string): Promise<Token | undefined> {
    const row = await this.db.selectFrom('tokens').selectAll().where('id', '=', tokenId).executeTakeFirst();
    return row && fromTokenRow(row);
  }

  async listTokens(userId?: string | null): Promise<Token[]> {
    let query = this.db.selectFrom('tokens').selectAll().orderBy('created_at').orderBy('id');
    if (userId !== undefined) query = userId === null ? query.where('user_id', 'is', null) : query.where('user_id', '=', userId);
    return (await query.execute()).map(fromTokenRow);
  }

  async revokeToken(tokenId: string, at: string): Promise<void> {
    await this.db.updateTable('tokens').set({ revoked_at: at }).where('id', '=', tokenId).where('revoked_at', 'is', null).execute();
  }

  async touchToken(tokenId: string, at: string): Promise<void> {
    await this.db.updateTable('tokens').set({ last_used_at: at }).where('id', '=', tokenId).execute();
  }

  async insertUser(user: User): Promise<void> {
    await this.db
      .insertInto('users')
      .values({ id: user.id, email: user.email, password_hash: user.passwordHash, setup_code_hash: user.setupCodeHash, setup_expires_at: user.setupExpiresAt, created_at: user.createdAt })
      .execute();
  }

  async findUserByEmail(email: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('email', '=', email).executeTakeFirst();
    return row && fromUserRow(row);
  }

  async findUserById(userId: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('id', '=', userId).executeTakeFirst();
    return row && fromUserRow(row);
  }

  async findUserBySetupCode(codeHash: string): Promise<User | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('setup_code_hash', '=', codeHash).executeTakeFirst();
    return row && fromUserRow(row);
  }

  async listUsers(): Promise<User[]> {
    return (await this.db.selectFrom('users').selectAll().orderBy('email').execute()).map(fromUserRow);
  }

  async updateUser(userId: string, patch: Partial<Pick<User, 'passwordHash' | 'setupCodeHash' | 'setupExpiresAt'>>): Promise<void> {
    const set: Partial<UsersTable> = {};
    if (patch.passwordHash !== undefined) set.password_hash = patch.passwordHash;
    if (patch.setupCodeHash !== undefined) set.setup_code_hash = patch.setupCodeHash;
    if (patch.setupExpiresAt !== undefined) set.setup_expires_at = patch.setupExpiresAt;
    if (Object.keys(set).length > 0) await this.db.updateTable('users').set(set).where('id', '=', userId).execute();
  }

  async deleteUser(userId: string): Promise<void> {
    // Tokens first: whatever happens next, the user can no longer act.
    await this.db.deleteFrom('tokens').where('user_id', '=', userId).execute();
    await this.db.deleteFrom('app_access').where('user_id', '=', userId).execute();
    await this.db.updateTable('apps').set({ owner_id: null }).where('owner_id', '=', userId).execute();
    await this.db.deleteFrom('users').where('id', '=', userId).execute();
  }

  async appOwner(appId: string): Promise<string | null> {
    const row = await this.db.selectFrom('apps').select('owner_id').where('id', '=', appId).executeTakeFirst();
    return row?.owner_id ?? null;
  }

  async setAppOwner(appId: string, userId: string | null): Promise<void> {
    await this.db.updateTable('apps').set({ owner_id: userId }).where('id', '=', appId).execute();
  }

  async appIdsOf(userId: string): Promise<string[]> {
    const owned = await this.db.selectFrom('apps').select('id').where('owner_id', '=', userId).execute();
    const shared = await this.db.selectFrom('app_access').select('app_id').where('user_id', '=', userId).execute();
    return [...new Set([...owned.map((r) => r.id), ...shared.map((r) => r.app_id)])];
  }

  async listAppAccess(appId: string): Promise<AppAccess[]> {
    const rows = await this.db.selectFrom('app_access').selectAll().where('app_id', '=', appId).execute();
    return rows.map((row) => ({ appId: row.app_id, userId: row.user_id, permissions: JSON.parse(row.permissions) as Permission[] }));
  }

  async findAppAccess(appId: string, userId: string): Promise<AppAccess | undefined> {
    const row = await this.db.selectFrom('app_access').selectAll().where('app_id', '=', appId).where('user_id', '=', userId).executeTakeFirst();
    return row && { appId: row.app_id, userId: row.user_id, permissions: JSON.parse(row.permissions) as Permission[] };
  }

  async putAppAccess(appId: string, userId: string, permissions: Permission[]): Promise<void> {
    const value = JSON.stringify(permissions);
    await this.db
      .insertInto('app_access')
      .values({ app_id: appId, user_id: userId, permissions: value })
      .onConflict((oc) => oc.columns(['app_id', 'user_id']).doUpdateSet({ permissions: value }))
      .execute();
  }

  async deleteAppAccess(appId: string, userId: string): Promise<void> {
    await this.db.deleteFrom('app_access').where('app_id', '=', appId).where('user_id', '=', userId).execute();
  }
}

function fromTokenRow(row: TokensTable): Token {
  return {
    id: row.id,
    hash: row.hash,
    role: row.role === 'admin' ? 'admin' : 'user',
    description: row.description,
    createdAt: row.created_at,
    userId: row.user_id,
    appId: row.app_id,
    permissions: row.permissions === null ? null : (JSON.parse(row.permissions) as Permission[]),
    expiresAt: row.expires_at,
    revokedAt: row.revoked_at,
    lastUsedAt: row.last_used_at,
  };
}

function fromUserRow(row: UsersTable): User {
  return { id: row.id, email: row.email, passwordHash: row.password_hash, setupCodeHash: row.setup_code_hash, setupExpiresAt: row.setup_expires_at, createdAt: row.created_at };
}
