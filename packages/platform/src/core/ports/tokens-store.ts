import type { Token } from '../model.js';

/** API tokens (hashed). */
export interface TokensStore {
  insertToken(token: Token): Promise<void>;
  findTokenByHash(hash: string): Promise<Token | undefined>;
}
