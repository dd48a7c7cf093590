import { DozenError } from '@dozen/contracts/errors';
import type { Permission } from './model.js';

/** Heroku's four, in their order. */
export const ALL_PERMISSIONS: readonly Permission[] = ['view', 'deploy', 'operate', 'manage'];

/** A list from the CLI or the API -> permissions, view always included; an unknown name lists the known ones. */
export function parsePermissions(names: readonly string[]): Permission[] {
  const unknown = names.filter((name) => !(ALL_PERMISSIONS as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new DozenError('PERMISSION_UNKNOWN', `${unknown.map((name) => JSON.stringify(name.slice(0, 40))).join(', ')} ${unknown.length === 1 ? 'is not a permission' : 'are not permissions'}: the permissions are ${ALL_PERMISSIONS.join(', ')}.`);
  }
  return normalise(['view', ...(names as Permission[])]);
}

/** Known order, no repeats. */
export function normalise(permissions: Iterable<Permission>): Permission[] {
  const set = new Set(permissions);
  return ALL_PERMISSIONS.filter((p) => set.has(p));
}

export function intersect(a: readonly Permission[], b: readonly Permission[] | null): Permission[] {
  return b === null ? [...a] : a.filter((p) => b.includes(p));
}
