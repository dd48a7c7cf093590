import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { credentialAnswer, readCredentialRequest } from './credential-protocol.js';

describe('git credential helper protocol', () => {
  const tokenFor = (url: string) => (url === 'http://127.0.0.1:7000' ? 'dzn_secret' : undefined);

  it('reads the attributes git sends, up to the blank line', async () => {
    const request = await readCredentialRequest(Readable.from(['protocol=http\nhost=127.0.0.1:7000\n', 'path=git/hello.git\n\nignored=1\n']));
    expect(request).toEqual({ protocol: 'http', host: '127.0.0.1:7000', path: 'git/hello.git' });
  });

  it("answers with the token for the platform's own scheme, host and port only", () => {
    expect(credentialAnswer({ protocol: 'http', host: '127.0.0.1:7000' }, 'http://127.0.0.1:7000', tokenFor)).toBe('username=dozen\npassword=dzn_secret\n');
    for (const request of [
      { protocol: 'http', host: 'evil.example:7000' },
      { protocol: 'https', host: '127.0.0.1:7000' },
      { protocol: 'http', host: '127.0.0.1:7001' },
      { protocol: 'http', host: '127.0.0.1' },
      { host: '127.0.0.1:7000' },
    ] as Record<string, string>[]) {
      expect(credentialAnswer(request, 'http://127.0.0.1:7000', tokenFor), JSON.stringify(request)).toBeNull();
    }
  });

  it('treats default ports as git does, and says nothing without a token', () => {
    expect(credentialAnswer({ protocol: 'https', host: 'dozen.example.com' }, 'https://dozen.example.com:443', () => 't')).toBe('username=dozen\npassword=t\n');
    expect(credentialAnswer({ protocol: 'http', host: 'other:7000' }, 'http://other:7000', tokenFor)).toBeNull();
  });
});
