import { Type, type Static } from '../typebox.js';
import { Timestamp } from './common.js';

const Email = Type.String({ minLength: 1, maxLength: 254 });
const PermissionList = Type.Array(Type.String({ minLength: 1, maxLength: 32 }), { maxItems: 8 });

export const UserSchema = Type.Object({ id: Type.String(), email: Type.String(), status: Type.Union([Type.Literal('active'), Type.Literal('pending')]), createdAt: Timestamp });
export type User = Static<typeof UserSchema>;

export const AddUserBody = Type.Object({ email: Email });
export const UserAddedSchema = Type.Object({ user: UserSchema, setupCode: Type.String(), setupUrl: Type.String(), expiresAt: Timestamp });
export const UserParams = Type.Object({ email: Email });
export const UserRemovedSchema = Type.Object({ removed: Type.String() });

export const LoginBody = Type.Object({ email: Email, password: Type.String({ minLength: 1, maxLength: 1024 }) });
export const SetupBody = Type.Object({ code: Type.String({ minLength: 1, maxLength: 256 }), password: Type.String({ minLength: 1, maxLength: 1024 }) });
/** The token is shown once, here. */
export const SessionSchema = Type.Object({ token: Type.String(), tokenId: Type.String(), email: Type.String() });
export const LoggedOutSchema = Type.Object({ revoked: Type.String() });

export const WhoAmISchema = Type.Object({ token: Type.String(), role: Type.String(), label: Type.String(), admin: Type.Boolean() });

export const TokenSchema = Type.Object({
  id: Type.String(),
  owner: Type.String(),
  description: Type.String(),
  app: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Union([PermissionList, Type.Null()]),
  createdAt: Timestamp,
  expiresAt: Type.Union([Timestamp, Type.Null()]),
  revokedAt: Type.Union([Timestamp, Type.Null()]),
  lastUsedAt: Type.Union([Timestamp, Type.Null()]),
});
export type ApiToken = Static<typeof TokenSchema>;
export const CreateTokenBody = Type.Object({
  app: Type.Optional(Type.String({ minLength: 1, maxLength: 256 })),
  permissions: Type.Optional(PermissionList),
  /** A duration: 30m, 12h, 30d. */
  expiresIn: Type.Optional(Type.String({ minLength: 1, maxLength: 32 })),
  description: Type.Optional(Type.String({ maxLength: 200 })),
});
export const TokenCreatedSchema = Type.Object({ token: Type.String(), info: TokenSchema });
export const TokenParams = Type.Object({ token: Type.String({ minLength: 1, maxLength: 64 }) });

export const CollaboratorSchema = Type.Object({ email: Type.String(), role: Type.Union([Type.Literal('owner'), Type.Literal('collaborator')]), permissions: PermissionList });
export type Collaborator = Static<typeof CollaboratorSchema>;
export const AccessBody = Type.Object({ email: Email, permissions: PermissionList });
export const AccessUpdateBody = Type.Object({ permissions: PermissionList });
export const AccessParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), email: Email });
export const TransferBody = Type.Object({ email: Email });
