import type { AppAccess, Permission, User } from '../model.js';

/** Users, the owner of each app and its collaborators. */
export interface UsersStore {
  insertUser(user: User): Promise<void>;
  findUserByEmail(email: string): Promise<User | undefined>;
  findUserById(userId: string): Promise<User | undefined>;
  findUserBySetupCode(codeHash: string): Promise<User | undefined>;
  listUsers(): Promise<User[]>;
  updateUser(userId: string, patch: Partial<Pick<User, 'passwordHash' | 'setupCodeHash' | 'setupExpiresAt'>>): Promise<void>;
  /** Deletes the user with their tokens and app access; their apps pass to the admin (owner null). */
  deleteUser(userId: string): Promise<void>;
  /** The owner's user id; null: the platform admin. */
  appOwner(appId: string): Promise<string | null>;
  setAppOwner(appId: string, userId: string | null): Promise<void>;
  /** The ids of the apps a user owns or collaborates on. */
  appIdsOf(userId: string): Promise<string[]>;
  listAppAccess(appId: string): Promise<AppAccess[]>;
  findAppAccess(appId: string, userId: string): Promise<AppAccess | undefined>;
  putAppAccess(appId: string, userId: string, permissions: Permission[]): Promise<void>;
  deleteAppAccess(appId: string, userId: string): Promise<void>;
}
