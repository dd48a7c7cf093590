import { openSync, readSync, closeSync, fstatSync } from 'node:fs';
import type { Certificate, DozenClient } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';
import { print, table } from '../../output.js';

/** The platform's limit per PEM (CERT_TOO_LARGE): a larger file is refused before it is read or sent. */
const MAX_PEM_BYTES = 1024 * 1024;

/** The chain and key files as text, each checked against the size limit first. */
export function readPemFiles(certFile: string, keyFile: string): { certificate: string; privateKey: string } {
  return { certificate: readPem(certFile, 'certificate chain'), privateKey: readPem(keyFile, 'private key') };
}

function readPem(file: string, what: string): string {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch (error) {
    throw new DozenError('CLI_USAGE', `Cannot read the ${what} file ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`, { hint: 'Give the path of a PEM file.' });
  }
  try {
    const size = fstatSync(fd).size;
    if (size > MAX_PEM_BYTES) throw new DozenError('CERT_TOO_LARGE', `The ${what} file ${file} is ${size} bytes, over the limit of ${MAX_PEM_BYTES} bytes (1 MB).`);
    const buf = Buffer.alloc(size);
    let read = 0;
    while (read < size) {
      const n = readSync(fd, buf, read, size - read, read);
      if (n === 0) break;
      read += n;
    }
    return buf.toString('utf8', 0, read);
  } finally {
    closeSync(fd);
  }
}

/** `--name`, or the app's only certificate's name. */
export async function certName(client: DozenClient, app: string, name: string | undefined): Promise<string> {
  if (name) return name;
  const certificates = await client.call('listCerts', { params: { app } });
  if (certificates.length === 1) return (certificates[0] as Certificate).name;
  if (certificates.length === 0) throw new DozenError('CERT_NOT_FOUND', `${app} has no certificates.`, { hint: `Add one with \`dozen certs:add CERT.pem KEY.pem -a ${app}\`.` });
  throw new DozenError('CERT_NAME_REQUIRED', `${app} has ${certificates.length} certificates: ${certificates.map((c) => c.name).join(', ')}.`);
}

/** `certs:info` and what certs:add/update print. */
export function printCertificate(c: Certificate): void {
  print(
    table([
      ['Name:', c.name],
      ['Serves:', c.domains.length > 0 ? c.domains.join(', ') : '(none of the app\'s domains)'],
      ['Names:', c.names.join(', ')],
      ['Subject:', c.subject],
      ['Issuer:', c.issuer],
      ['Valid from:', c.notBefore],
      ['Expires:', c.notAfter],
      ['Chain:', `${c.chainLength} certificate${c.chainLength === 1 ? '' : 's'}`],
      ['SHA-256:', c.fingerprint],
    ]),
  );
}
