import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** PEM files made by the test's own small CA (openssl): a root, an intermediate, leaves under it. */
export class TestCa {
  readonly dir = mkdtempSync(join(tmpdir(), 'dozen-ca-'));
  private serial = 1;

  constructor() {
    this.write('ca.ext', '[ca]\nbasicConstraints=critical,CA:true\nkeyUsage=critical,keyCertSign,cRLSign\n');
    this.openssl(['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', this.path('root.key'), '-out', this.path('root.crt'), '-days', '30', '-subj', '/CN=Dozen Test Root', '-addext', 'basicConstraints=critical,CA:true', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']);
    this.openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', this.path('int.key'), '-out', this.path('int.csr'), '-subj', '/CN=Dozen Test Intermediate']);
    this.openssl(['x509', '-req', '-in', this.path('int.csr'), '-CA', this.path('root.crt'), '-CAkey', this.path('root.key'), '-set_serial', String(this.serial++), '-days', '30', '-extfile', this.path('ca.ext'), '-extensions', 'ca', '-out', this.path('int.crt')]);
  }

  get rootPem(): string {
    return this.read('root.crt');
  }

  get intermediatePem(): string {
    return this.read('int.crt');
  }

  /**
   * A leaf for `names` signed by the intermediate, with its key; `expired` makes one that ended in
   * 2020 (openssl x509 cannot backdate; `openssl ca` can).
   */
  leaf(label: string, names: string[], options: { expired?: boolean } = {}): { cert: string; key: string; chain: string } {
    const key = this.path(`${label}.key`);
    const csr = this.path(`${label}.csr`);
    const crt = this.path(`${label}.crt`);
    this.write(`${label}.ext`, `[leaf]\nbasicConstraints=CA:false\nsubjectAltName=${names.map((n) => `DNS:${n}`).join(',')}\n`);
    this.openssl(['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', csr, '-subj', `/CN=${names[0]}`]);
    if (options.expired) {
      this.write('index.txt', '');
      this.write('ca.cnf', `[ca]\ndefault_ca=d\n[d]\ndatabase=${this.path('index.txt')}\nnew_certs_dir=${this.dir}\nserial=${this.path('serial')}\ndefault_md=sha256\npolicy=p\nunique_subject=no\n[p]\ncommonName=supplied\n`);
      this.write('serial', `${String(this.serial++).padStart(2, '0')}\n`);
      this.openssl(['ca', '-batch', '-notext', '-config', this.path('ca.cnf'), '-cert', this.path('int.crt'), '-keyfile', this.path('int.key'), '-startdate', '20200101000000Z', '-enddate', '20200201000000Z', '-extfile', this.path(`${label}.ext`), '-extensions', 'leaf', '-in', csr, '-out', crt]);
    } else {
      this.openssl(['x509', '-req', '-in', csr, '-CA', this.path('int.crt'), '-CAkey', this.path('int.key'), '-set_serial', String(this.serial++), '-days', '10', '-extfile', this.path(`${label}.ext`), '-extensions', 'leaf', '-out', crt]);
    }
    const cert = this.read(`${label}.crt`);
    this.write(`${label}.chain.pem`, cert + this.intermediatePem);
    return { cert: crt, key, chain: this.path(`${label}.chain.pem`) };
  }

  /** The key at `keyFile`, encrypted with a passphrase. */
  encrypted(keyFile: string): string {
    const out = `${keyFile}.enc`;
    this.openssl(['pkey', '-in', keyFile, '-aes256', '-passout', 'pass:secret', '-out', out]);
    return out;
  }

  write(name: string, text: string | Buffer): string {
    writeFileSync(this.path(name), text);
    return this.path(name);
  }

  read(name: string): string {
    return readFileSync(this.path(name), 'utf8');
  }

  path(name: string): string {
    return join(this.dir, name);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  private openssl(args: string[]): void {
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  }
}
