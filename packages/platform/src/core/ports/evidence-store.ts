import type { EvidenceRecord } from '../scorecard/evidence.js';

/**
 * The runtime evidence of releases (issue 18): bounded, one record per release, process and kind
 * (a newer measure replaces the older); removed with the app.
 */
export interface EvidenceStore {
  putEvidence(record: EvidenceRecord): Promise<void>;
  /** Every record of release v`release` of the app, by process then kind. */
  listEvidence(appId: string, release: number): Promise<EvidenceRecord[]>;
}
