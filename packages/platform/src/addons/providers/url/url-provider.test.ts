import { describe, expect, it } from 'vitest';
import { addonProviderConformance } from '../../addon-conformance.js';
import { UrlProvider } from './url-provider.js';

const provider = new UrlProvider();
addonProviderConformance('url', () => ({ provider, extra: (i) => ({ url: `smtp://user${i}:pw@mail.example.com:587` }) }), { issuesCredentials: false });

describe('the url provider', () => {
  it('hands the URL over exactly as given, and shows only scheme and host', async () => {
    const url = 'smtp://user:p%40ss@mail.example.com:587/?tls=1';
    const made = await provider.provision({ addonId: 'u1', plan: 'default', url });
    expect(made.url).toBe(url);
    expect(await provider.info(made.resource)).toEqual({ scheme: 'smtp', host: 'mail.example.com:587' });
  });

  it.each([
    ['no URL', undefined, /needs the URL/],
    ['an empty URL', '', /needs the URL/],
    ['a host without a scheme', 'mail.example.com', /not an absolute URL/],
    ['a space', 'smtp://a b@host', /whitespace or control/],
    ['a newline', 'smtp://host/\nX=1', /whitespace or control/],
    ['2 KB of URL', `https://host/${'x'.repeat(2100)}`, /longer than 2048 bytes/],
  ])('refuses %s with ADDON_URL_INVALID', async (_, url, message) => {
    await expect(provider.provision({ addonId: 'u2', plan: 'default', ...(url === undefined ? {} : { url }) })).rejects.toMatchObject({ code: 'ADDON_URL_INVALID', message: expect.stringMatching(message) });
  });
});
