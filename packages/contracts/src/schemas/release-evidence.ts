import { Type, type Static } from '../typebox.js';

/** `/apps/:app/releases/:version/...`: one release of an app. */
export const ReleaseVersionParams = Type.Object({
  app: Type.String(),
  version: Type.Integer({ minimum: 1 }),
});

const RuntimeCheckSchema = Type.Object({
  id: Type.String({ description: '`<factor>.<name>`, e.g. `XI.logs-to-stdout`' }),
  factor: Type.String(),
  title: Type.String(),
  status: Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail'), Type.Literal('unknown')]),
  evidence: Type.Array(Type.String()),
  hint: Type.String(),
});

/** What the processes of a release showed at run time (issue 18), and the runtime checks graded from it. */
export const ReleaseEvidenceSchema = Type.Object({
  app: Type.String(),
  release: Type.Integer(),
  evidence: Type.Array(Type.Object({
    process: Type.String(),
    kind: Type.String({ description: 'listen, boot, stop, log-files, daemonized, write-refused' }),
    value: Type.Unknown(),
    at: Type.String(),
  })),
  checks: Type.Array(RuntimeCheckSchema),
});
export type ReleaseEvidence = Static<typeof ReleaseEvidenceSchema>;
