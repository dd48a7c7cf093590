import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { App, Permission, Principal, User } from '../model.js';
import { ALL_PERMISSIONS, intersect, parsePermissions } from '../permissions.js';
import { requireApp } from './require-app.js';

type AccessDeps = Pick<CoreDeps, 'store'>;

/** What a user may do on an app: the owner everything, a collaborator their row, anyone else nothing. */
export async function userPermissions(deps: AccessDeps, userId: string, app: App): Promise<Permission[]> {
  if ((await deps.store.appOwner(app.id)) === userId) return [...ALL_PERMISSIONS];
  return (await deps.store.findAppAccess(app.id, userId))?.permissions ?? [];
}

/** What the caller may do on an app now: its owner's rights (the admin: all), cut to the token's app and permissions. */
export async function permissionsOn(deps: AccessDeps, caller: Principal, app: App): Promise<Permission[]> {
  const held = caller.admin ? [...ALL_PERMISSIONS] : caller.userId === null ? [] : await userPermissions(deps, caller.userId, app);
  if (caller.appId !== null && caller.appId !== app.id) return [];
  return intersect(held, caller.permissions);
}

/**
 * The rule of one app route. An app the caller's user cannot see answers exactly like a missing
 * one (APP_NOT_FOUND); one it can see, without the permission, PERMISSION_DENIED naming it. A token
 * limited to another app, or to fewer permissions, is refused with 403 on an app its user can see.
 */
export async function authorizeApp(deps: AccessDeps, caller: Principal, appName: string, needed: Permission): Promise<App> {
  const app = await requireApp(deps, appName);
  const owned = caller.admin ? [...ALL_PERMISSIONS] : caller.userId === null ? [] : await userPermissions(deps, caller.userId, app);
  if (owned.length === 0) throw new DozenError('APP_NOT_FOUND', `There is no app named ${appName}.`);
  if (!owned.includes(needed)) throw new DozenError('PERMISSION_DENIED', `${caller.label} lacks the ${needed} permission on ${app.name}.`, { details: { permission: needed } });
  if (caller.appId !== null && caller.appId !== app.id) {
    throw new DozenError('PERMISSION_DENIED', `This token is limited to another app: it lacks the ${needed} permission on ${app.name}.`, { details: { permission: needed } });
  }
  if (caller.permissions !== null && !caller.permissions.includes(needed)) {
    throw new DozenError('PERMISSION_DENIED', `This token lacks the ${needed} permission on ${app.name} (it has ${caller.permissions.join(', ')}).`, { details: { permission: needed } });
  }
  return app;
}

/** The apps the caller may view, by name. */
export async function visibleApps(deps: AccessDeps, caller: Principal): Promise<App[]> {
  const apps = await deps.store.listApps();
  const ids = caller.admin ? null : new Set(caller.userId === null ? [] : await deps.store.appIdsOf(caller.userId));
  return apps.filter((app) => (ids === null || ids.has(app.id)) && (caller.appId === null || caller.appId === app.id));
}

export interface Collaborator {
  email: string;
  role: 'owner' | 'collaborator';
  permissions: Permission[];
}

/** The owner first (`admin` when the platform admin owns it), then the collaborators by email. */
export async function listAccess(deps: AccessDeps, appName: string): Promise<Collaborator[]> {
  const app = await requireApp(deps, appName);
  const ownerId = await deps.store.appOwner(app.id);
  const owner = ownerId === null ? null : await deps.store.findUserById(ownerId);
  const rows = await deps.store.listAppAccess(app.id);
  const collaborators: Collaborator[] = [];
  for (const row of rows) {
    const user = await deps.store.findUserById(row.userId);
    if (user) collaborators.push({ email: user.email, role: 'collaborator', permissions: row.permissions });
  }
  collaborators.sort((a, b) => a.email.localeCompare(b.email));
  return [{ email: owner?.email ?? 'admin', role: 'owner', permissions: [...ALL_PERMISSIONS] }, ...collaborators];
}

export async function requireUser(deps: AccessDeps, email: string): Promise<User> {
  const user = await deps.store.findUserByEmail(email.trim().toLowerCase());
  if (!user) throw new DozenError('USER_NOT_FOUND', `There is no user ${email}.`);
  return user;
}

/** access:add and access:update: the user's permissions on the app (view always included). */
export async function grantAccess(deps: AccessDeps, appName: string, email: string, names: string[], mustExist: boolean): Promise<Collaborator> {
  const permissions = parsePermissions(names);
  const app = await requireApp(deps, appName);
  const user = await requireUser(deps, email);
  if ((await deps.store.appOwner(app.id)) === user.id) throw new DozenError('INVALID_REQUEST', `${user.email} owns ${app.name} and has every permission on it.`, { hint: 'Transfer the app first (`dozen apps:transfer EMAIL`) to change what its owner may do.' });
  const current = await deps.store.findAppAccess(app.id, user.id);
  if (mustExist && !current) throw new DozenError('ACCESS_NOT_FOUND', `${user.email} has no access to ${app.name}.`);
  await deps.store.putAppAccess(app.id, user.id, permissions);
  return { email: user.email, role: 'collaborator', permissions };
}

export async function removeAccess(deps: AccessDeps, appName: string, email: string): Promise<Collaborator> {
  const app = await requireApp(deps, appName);
  const user = await requireUser(deps, email);
  if ((await deps.store.appOwner(app.id)) === user.id) {
    // The owner always manages the app: removing them would leave it to collaborators at best.
    const others = (await deps.store.listAppAccess(app.id)).filter((row) => row.permissions.includes('manage')).length;
    const why = others === 0 ? `is the last manager of ${app.name} (its owner)` : `owns ${app.name}`;
    throw new DozenError('LAST_MANAGER', `${user.email} ${why} and cannot be removed.`, { hint: 'Transfer the app to another user first (`dozen apps:transfer EMAIL -a APP`), then remove the previous owner.' });
  }
  const current = await deps.store.findAppAccess(app.id, user.id);
  if (!current) throw new DozenError('ACCESS_NOT_FOUND', `${user.email} has no access to ${app.name}.`);
  await deps.store.deleteAppAccess(app.id, user.id);
  return { email: user.email, role: 'collaborator', permissions: current.permissions };
}

/** apps:transfer: the user becomes the owner; a previous owner who is a user stays as a collaborator with every permission. */
export async function transferApp(deps: AccessDeps, appName: string, email: string): Promise<Collaborator> {
  const app = await requireApp(deps, appName);
  const user = await requireUser(deps, email);
  const previous = await deps.store.appOwner(app.id);
  if (previous === user.id) throw new DozenError('INVALID_REQUEST', `${user.email} already owns ${app.name}.`);
  await deps.store.deleteAppAccess(app.id, user.id);
  await deps.store.setAppOwner(app.id, user.id);
  if (previous !== null) await deps.store.putAppAccess(app.id, previous, [...ALL_PERMISSIONS]);
  return { email: user.email, role: 'owner', permissions: [...ALL_PERMISSIONS] };
}
