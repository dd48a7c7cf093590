import { gzipSync } from 'node:zlib';

export interface TarEntry {
  path: string;
  /** '0' file, '1' hardlink, '2' symlink, '3' char device, '5' directory, '6' fifo */
  type?: string;
  content?: string;
  linkpath?: string;
  mode?: number;
}

/**
 * Writes a ustar archive by hand, so that tests can make archives no well-behaved tar tool
 * would produce (absolute paths, `..`, devices, links out of the tree).
 */
export function tarball(entries: TarEntry[], options: { gzip?: boolean } = {}): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.content ?? '');
    const header = Buffer.alloc(512);
    header.write(entry.path.slice(0, 100), 0, 'utf8');
    header.write(octal(entry.mode ?? 0o644, 8), 100);
    header.write(octal(0, 8), 108);
    header.write(octal(0, 8), 116);
    header.write(octal(entry.type === undefined || entry.type === '0' ? body.length : 0, 12), 124);
    header.write(octal(1_700_000_000, 12), 136);
    header.write('        ', 148);
    header.write(entry.type ?? '0', 156);
    header.write((entry.linkpath ?? '').slice(0, 100), 157);
    header.write('ustar\u000000', 257);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148);
    blocks.push(header);
    if (entry.type === undefined || entry.type === '0') {
      blocks.push(body, Buffer.alloc((512 - (body.length % 512)) % 512));
    }
  }
  blocks.push(Buffer.alloc(1024));
  const tar = Buffer.concat(blocks);
  return options.gzip === false ? tar : gzipSync(tar);
}

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\u0000`;
}
