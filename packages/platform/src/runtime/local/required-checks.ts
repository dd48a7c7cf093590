/** Whether every address is a loopback one (and there is one): unreachable from another host or namespace. */
export function loopbackOnly(addresses: readonly string[]): boolean {
  return addresses.length > 0 && addresses.every((address) => address.startsWith('127.') || address.startsWith('[::1]:'));
}

/**
 * Why a web process fails a check the app requires (`scorecard:require`, issue 18) from where it
 * listens once its boot ended, or null. The runtime gates VII.binds-port here and XI.logs-to-stdout
 * by a sample before the process joins the router; the other checks are graded, not gated.
 */
export function requiredCheckFailure(name: string, required: readonly string[], listening: { addresses: readonly string[]; port: number; host: string }): string | null {
  if (!required.includes('VII.binds-port') || !loopbackOnly(listening.addresses)) return null;
  return `${name} listens on ${listening.addresses.join(', ')} only, not on every interface: VII.binds-port is required (bind $PORT on 0.0.0.0)`;
}
