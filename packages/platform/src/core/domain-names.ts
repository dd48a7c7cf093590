import { DozenError } from '@dozen/contracts/errors';

const LABEL = '[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?';
/** Two labels or more, the last one not all digits (no IP addresses); `*.` in front for a wildcard. */
const HOSTNAME = new RegExp(`^(\\*\\.)?(?:${LABEL}\\.)+(?=[a-z0-9-]*[a-z-])${LABEL}$`);

/**
 * A custom domain as stored and routed: lowercase, no trailing dot, no port, at most 253
 * characters; never inside the platform's own domain, whose hosts are the apps' default names.
 * Rejected, never transformed, so that what is stored is exactly what was asked for.
 */
export function assertDomainName(hostname: string, platformDomain: string): void {
  if (hostname.length > 253 || !HOSTNAME.test(hostname)) {
    const lower = hostname.toLowerCase().replace(/\.$/, '');
    const hint = lower !== hostname && lower.length <= 253 && HOSTNAME.test(lower) ? ` Write it as ${lower}.` : '';
    throw new DozenError('DOMAIN_INVALID', `Domain ${JSON.stringify(hostname)} is not a valid host name.${hint}`);
  }
  const bare = hostname.startsWith('*.') ? hostname.slice(2) : hostname;
  if (bare === platformDomain || bare.endsWith(`.${platformDomain}`) || hostname === `*.${platformDomain}`) {
    throw new DozenError('DOMAIN_RESERVED', `Domain ${hostname} is inside the platform domain ${platformDomain}, where every app already has <app>.${platformDomain}.`);
  }
}

export function domainKind(hostname: string): 'exact' | 'wildcard' {
  return hostname.startsWith('*.') ? 'wildcard' : 'exact';
}
