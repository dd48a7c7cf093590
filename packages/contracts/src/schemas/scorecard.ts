import { Type, type Static } from '../typebox.js';
import { Nullable } from './common.js';

/** Twelve-factor scorecard (issue 18). */
export const FactorSchema = Type.Union([
  Type.Literal('I'), Type.Literal('II'), Type.Literal('III'), Type.Literal('IV'), Type.Literal('V'), Type.Literal('VI'),
  Type.Literal('VII'), Type.Literal('VIII'), Type.Literal('IX'), Type.Literal('X'), Type.Literal('XI'), Type.Literal('XII'),
]);
export const CheckStatusSchema = Type.Union([Type.Literal('pass'), Type.Literal('warn'), Type.Literal('fail'), Type.Literal('unknown')]);

export const CheckResultSchema = Type.Object({
  id: Type.String({ description: 'stable, `<factor>.<name>`, e.g. `III.no-secrets-in-source`' }),
  factor: FactorSchema,
  title: Type.String(),
  status: CheckStatusSchema,
  evidence: Type.Array(Type.String(), { description: 'what was seen: file and line, measured ms, the path' }),
  hint: Type.String({ description: 'how to pass it, with the factor\'s page; empty when it passes' }),
});
export type WireCheckResult = Static<typeof CheckResultSchema>;

export const ScorecardParams = Type.Object({ app: Type.String({ minLength: 1, maxLength: 256 }), version: Type.String({ pattern: '^v?[0-9]{1,9}$' }) });

export const ScorecardSchema = Type.Object({
  app: Type.String(),
  release: Type.Integer(),
  commit: Nullable(Type.String()),
  counts: Type.Object({ pass: Type.Integer(), warn: Type.Integer(), fail: Type.Integer(), unknown: Type.Integer() }),
  summary: Type.String({ description: 'the deploy\'s score line: `Twelve-factor: 11 pass, 1 warn (...)`' }),
  checks: Type.Array(CheckResultSchema),
});
export type Scorecard = Static<typeof ScorecardSchema>;

export const ScorecardPolicySchema = Type.Object({
  app: Type.String(),
  required: Type.Array(Type.String(), { description: 'as set: factors (`III`) or check ids' }),
  checks: Type.Array(Type.String(), { description: 'every check id the policy covers' }),
});
export type ScorecardPolicy = Static<typeof ScorecardPolicySchema>;

export const ScorecardPolicyBody = Type.Object({
  required: Nullable(Type.String({ maxLength: 1000, description: 'comma-separated factors or check ids (`III,XI`); null clears the policy' })),
});
