import type { Token } from '../model.js';

/** API tokens (hashed). */
export interface TokensStore {
  insertToken(token: Token): Promise<void>;
  findTokenByHash(hash: string): Promise<Token | undefined>;
  findToken(tokenId: string): Promise<Token | undefined>;
  /** Every token, or those of one user (null: the admin's). */
  listTokens(userId?: string | null): Promise<Token[]>;
  revokeToken(tokenId: string, at: string): Promise<void>;
  touchToken(tokenId: string, at: string): Promise<void>;
}
