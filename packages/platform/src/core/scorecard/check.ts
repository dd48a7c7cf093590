/** The twelve factors, as the scorecard names them (issue 18). */
export type Factor = 'I' | 'II' | 'III' | 'IV' | 'V' | 'VI' | 'VII' | 'VIII' | 'IX' | 'X' | 'XI' | 'XII';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';

/** One check's result: what was seen (file and line, measured ms, the path) and how to fix it. */
export interface CheckResult {
  /** Stable id, `<factor>.<name>` in kebab case, e.g. `XI.logs-to-stdout`. */
  id: string;
  factor: Factor;
  /** What the check asks, in a few words. */
  title: string;
  status: CheckStatus;
  /** The evidence, one line each (e.g. `web.1 has /tmp/app.log open for writing`). */
  evidence: string[];
  /** How to pass it; empty when it passes. */
  hint: string;
}
