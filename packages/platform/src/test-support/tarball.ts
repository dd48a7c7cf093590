import { gzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  /** '0' file, '1' hardlink, '2' symlink, '3' char device, '5' directory, '6' fifo */
  type?: string;
  content?: string | Buffer;
  linkpath?: string;
  mode?: number;
  /** Overrides the size field as written (raw 12 bytes), e.g. a negative base-256 number. */
  rawSize?: Buffer;
  /** Writes a wrong header checksum. */
  badChecksum?: boolean;
}

/**
 * Writes a ustar archive by hand, so that tests can make archives no well-behaved tar tool
 * would produce (absolute paths, `..`, devices, links out of the tree). Paths over 100 bytes go
 * in a pax header, as tar does.
 */
export function tarball(entries: TarEntry[], options: { gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    if (Buffer.byteLength(entry.path) > 100) blocks.push(...paxHeader(entry.path));
    const body = typeof entry.content === 'string' || entry.content === undefined ? Buffer.from(entry.content ?? '') : entry.content;
    const isFile = entry.type === undefined || entry.type === '0';
    blocks.push(header(entry, isFile ? body.length : 0));
    if (isFile) blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return options.gzip === false ? tar : gzipSync(tar);
}

function header(entry: TarEntry, size: number): Buffer {
  const header = Buffer.alloc(512);
  header.write(entry.path.slice(0, 100), 0, 'utf8');
  header.write(octal(entry.mode ?? 0o644, 8), 100);
  header.write(octal(0, 8), 108);
  header.write(octal(0, 8), 116);
  if (entry.rawSize) entry.rawSize.copy(header, 124);
  else header.write(octal(size, 12), 124);
  header.write(octal(1_700_000_000, 12), 136);
  header.write('        ', 148);
  header.write(entry.type ?? '0', 156);
  header.write((entry.linkpath ?? '').slice(0, 100), 157);
  header.write('ustar\u000000', 257);
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${(entry.badChecksum ? sum + 7 : sum).toString(8).padStart(6, '0')}\u0000 `, 148);
  return header;
}

function paxHeader(path: string): Buffer[] {
  const record = (text: string) => {
    let length = Buffer.byteLength(text) + 3;
    while (`${length} ${text}\n`.length !== length) length = Buffer.byteLength(`${length} ${text}\n`);
    return `${length} ${text}\n`;
  };
  const body = Buffer.from(record(`path=${path}`));
  return [header({ path: 'PaxHeader', type: 'x' }, body.length), body, Buffer.alloc((512 - (body.length % 512)) % 512)];
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}
