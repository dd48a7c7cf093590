import { DozenError } from '@dozen/contracts/errors';

/** App names: the same rule at the API, the git endpoint and the runtime; rejected, never transformed. */
export const APP_NAME_PATTERN = /^[a-z][a-z0-9-]{1,29}$/;
export const CONFIG_KEY_PATTERN = /^[A-Za-z_][A-Za-z0-9_]*$/;
export const PROCESS_TYPE_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_-]{0,62}$/;

export function assertAppName(name: string): void {
  if (!APP_NAME_PATTERN.test(name)) {
    throw new DozenError('APP_NAME_INVALID', `App name ${JSON.stringify(name)} is not valid: it must match ${APP_NAME_PATTERN.source}.`);
  }
}

export function isProcessType(type: string): boolean {
  return PROCESS_TYPE_PATTERN.test(type);
}
