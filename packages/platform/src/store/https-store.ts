import type { AcmeDomain } from '../core/ports/acme.js';
import type { HttpsSettings, StoredCertificate } from '../core/ports/certificates-store.js';
import * as acmeRows from './acme-rows.js';
import * as certificateRows from './certificate-rows.js';
import type { Sealing } from './sealed-rows.js';
import { KyselyTeamsStore } from './teams-store.js';

/**
 * Certificates, HTTPS settings and ACME state on Kysely (issue 14). KyselyStore extends it and
 * gives it `sealing`: private keys are sealed on write and opened on read.
 */
export abstract class KyselyHttpsStore extends KyselyTeamsStore {
  protected abstract get sealing(): Sealing;

  insertCertificate(certificate: StoredCertificate): Promise<void> {
    return certificateRows.insertCertificate(this.sealing, certificate);
  }

  updateCertificate(certificate: StoredCertificate): Promise<void> {
    return certificateRows.updateCertificate(this.sealing, certificate);
  }

  listCertificates(appId?: string): Promise<StoredCertificate[]> {
    return certificateRows.listCertificates(this.sealing, appId);
  }

  async deleteCertificate(certificateId: string): Promise<void> {
    await this.db.deleteFrom('certificates').where('id', '=', certificateId).execute();
  }

  getHttpsSettings(appId: string): Promise<HttpsSettings | undefined> {
    return certificateRows.getHttpsSettings(this.db, appId);
  }

  setHttpsSettings(appId: string, settings: HttpsSettings): Promise<void> {
    return certificateRows.setHttpsSettings(this.db, appId, settings);
  }

  listHttpsSettings(): Promise<Map<string, HttpsSettings>> {
    return certificateRows.listHttpsSettings(this.db);
  }

  getAcmeAccountKey(directory: string): Promise<string | undefined> {
    return acmeRows.getAcmeAccountKey(this.sealing, directory);
  }

  setAcmeAccountKey(directory: string, keyPem: string): Promise<void> {
    return acmeRows.setAcmeAccountKey(this.sealing, directory, keyPem);
  }

  listAcmeApps(): Promise<string[]> {
    return acmeRows.listAcmeApps(this.db);
  }

  setAcmeApp(appId: string, enabled: boolean): Promise<void> {
    return acmeRows.setAcmeApp(this.db, appId, enabled);
  }

  listAcmeDomains(appId?: string): Promise<AcmeDomain[]> {
    return acmeRows.listAcmeDomains(this.db, appId);
  }

  putAcmeDomain(domain: AcmeDomain): Promise<void> {
    return acmeRows.putAcmeDomain(this.db, domain);
  }

  deleteAcmeDomains(appId: string, hostname?: string): Promise<void> {
    return acmeRows.deleteAcmeDomains(this.db, appId, hostname);
  }
}
