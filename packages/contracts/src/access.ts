/**
 * Who may call a route, declared as data next to its contract (routes.ts, stream-routes.ts). The
 * platform's one authorization hook enforces it; docs/access.md publishes it. Without TypeBox: the
 * CLI and the stream routes load it at start.
 */

/** Heroku's four app permissions. Each one includes seeing the app. */
export const PERMISSIONS = ['view', 'deploy', 'operate', 'manage'] as const;
export type Permission = (typeof PERMISSIONS)[number];

/**
 * - `public`: no token (health, login, setting a password with a setup code);
 * - `token`: any valid token, even one restricted to an app or to some permissions (whoami, the
 *   app list, which shows only what the token may view, logout);
 * - `user`: an unrestricted token of a user or the admin (create apps, make and list tokens);
 * - `admin`: the platform admin's token only (users, metrics);
 * - `cluster`: the roles' shared secret only (`Authorization: Bearer <DOZEN_CLUSTER_TOKEN>`), never a
 *   user's or the admin's token: the internal routes the builder and runtime roles call (issue 19);
 * - `{ app: P }`: permission P on the app named by the route's `:app`.
 */
export type Access = 'public' | 'token' | 'user' | 'admin' | 'cluster' | { readonly app: Permission };

export function isPermission(value: string): value is Permission {
  return (PERMISSIONS as readonly string[]).includes(value);
}

/** `view`, `user`, ...: how a declaration reads in docs and test names. */
export function describeAccess(access: Access): string {
  return typeof access === 'string' ? access : access.app;
}
