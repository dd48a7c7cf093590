import type { Kysely } from 'kysely';
import type { EvidenceStore } from '../core/ports/evidence-store.js';
import { EVIDENCE_KINDS, type EvidenceKind, type EvidenceRecord } from '../core/scorecard/evidence.js';
import type { Database } from './schema.js';

/** The release_evidence table (migration 019): an upsert per release, process and kind. */
export class KyselyEvidenceStore implements EvidenceStore {
  constructor(private readonly db: Kysely<Database>) {}

  async putEvidence(record: EvidenceRecord): Promise<void> {
    const value = JSON.stringify(record.value);
    await this.db
      .insertInto('release_evidence')
      .values({ app_id: record.appId, release: record.release, process: record.process, kind: record.kind, value, recorded_at: record.at })
      .onConflict((oc) => oc.columns(['app_id', 'release', 'process', 'kind']).doUpdateSet({ value, recorded_at: record.at }))
      .execute();
  }

  async listEvidence(appId: string, release: number): Promise<EvidenceRecord[]> {
    const rows = await this.db.selectFrom('release_evidence').selectAll().where('app_id', '=', appId).where('release', '=', release).orderBy('process').orderBy('kind').execute();
    const app = (await this.db.selectFrom('apps').select('name').where('id', '=', appId).executeTakeFirst())?.name ?? '';
    return rows
      .filter((row) => EVIDENCE_KINDS.includes(row.kind as EvidenceKind))
      .map((row) => ({ appId, app, release, process: row.process, kind: row.kind, value: JSON.parse(row.value), at: row.recorded_at }) as EvidenceRecord);
  }
}
