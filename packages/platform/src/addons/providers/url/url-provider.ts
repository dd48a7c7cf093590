import { DozenError } from '@dozen/contracts/errors';
import type { AddonResource } from '../../../core/model.js';
import type { AddonProvider, ProvisionedAddon, ProvisionRequest } from '../../../core/ports/addons.js';

const MAX_URL_BYTES = 2048;

/**
 * Any resource a user already has (SMTP, a managed database, an API), attached by URL (factor
 * IV). Dozen provisions nothing: it keeps the URL and hands it to the apps it is attached to.
 */
export class UrlProvider implements AddonProvider {
  readonly name = 'url';
  readonly plans = ['default'];
  readonly defaultConfigVar = null;

  async provision(request: ProvisionRequest): Promise<ProvisionedAddon> {
    const url = checkUrl(request.url);
    return { url, resource: { scheme: new URL(url).protocol.replace(/:$/, ''), host: new URL(url).host } };
  }

  deprovision(): Promise<void> {
    return Promise.resolve();
  }

  info(resource: AddonResource): Promise<Record<string, string>> {
    return Promise.resolve({ scheme: resource.scheme ?? 'unknown', host: resource.host || '(none)' });
  }

  rotateCredentials(): Promise<ProvisionedAddon> {
    return Promise.reject(new DozenError('ADDON_ROTATE_UNSUPPORTED', 'A url add-on has no credentials that Dozen issued; it cannot rotate them.'));
  }
}

/** An absolute URL with a scheme, no whitespace or control characters, of a sane length. */
function checkUrl(raw: string | undefined): string {
  if (raw === undefined || raw === '') throw new DozenError('ADDON_URL_INVALID', 'A url add-on needs the URL to attach, e.g. `dozen addons:attach url smtp://mail.example.com --as SMTP_URL`.');
  const shown = JSON.stringify(raw.length > 80 ? `${raw.slice(0, 80)}…` : raw);
  if (new TextEncoder().encode(raw).length > MAX_URL_BYTES) throw new DozenError('ADDON_URL_INVALID', `The URL ${shown} is longer than ${MAX_URL_BYTES} bytes.`);
  if (/[\s\u0000-\u001f\u007f]/.test(raw)) throw new DozenError('ADDON_URL_INVALID', `The URL ${shown} contains whitespace or control characters.`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new DozenError('ADDON_URL_INVALID', `${shown} is not an absolute URL with a scheme.`);
  }
  if (!/^[a-z][a-z0-9+.-]*:$/.test(url.protocol)) throw new DozenError('ADDON_URL_INVALID', `The URL ${shown} has no usable scheme.`);
  return raw;
}
