import { DozenError } from '@dozen/contracts/errors';
import type { CoreDeps } from '../deps.js';
import type { App } from '../model.js';
import { assertAppName } from '../names.js';

/** Validates the name first, so that `../x` is reported as invalid rather than as missing. */
export async function requireApp(deps: Pick<CoreDeps, 'store'>, name: string): Promise<App> {
  assertAppName(name);
  const app = await deps.store.findApp(name);
  if (!app) throw new DozenError('APP_NOT_FOUND', `There is no app named ${name}.`);
  return app;
}
