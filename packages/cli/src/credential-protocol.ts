/** The attributes git sends to a credential helper: `key=value` lines up to a blank line. */
export type CredentialRequest = Record<string, string>;

export async function readCredentialRequest(input: AsyncIterable<Buffer | string>): Promise<CredentialRequest> {
  let text = '';
  for await (const chunk of input) {
    text += chunk.toString();
    if (/(^|\n)\n/.test(text) || text.length > 64 * 1024) break;
  }
  const request: CredentialRequest = {};
  for (const line of text.split('\n')) {
    if (line === '') break;
    const eq = line.indexOf('=');
    if (eq > 0) request[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return request;
}

/** Whether git asks for the platform's own scheme, host and port (default ports as git has them). */
export function asksForPlatform(request: CredentialRequest, apiUrl: string): boolean {
  if (!request.protocol || !request.host) return false;
  try {
    return new URL(`${request.protocol}://${request.host}`).origin === new URL(apiUrl).origin;
  } catch {
    return false;
  }
}

/**
 * The answer to `get`: the token as the password, but only when git asks for the platform's own
 * scheme, host and port. Anything else gets no answer, so git tries its other helpers.
 */
export function credentialAnswer(request: CredentialRequest, apiUrl: string, tokenFor: (apiUrl: string) => string | undefined): string | null {
  if (!asksForPlatform(request, apiUrl)) return null;
  const token = tokenFor(apiUrl);
  if (!token || /[\r\n\0]/.test(token)) return null;
  return `username=dozen\npassword=${token}\n`;
}
