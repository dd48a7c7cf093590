/** The scorecard policy of an app (`scorecard:require`): factors or check ids its deploys must pass. */
export interface ScorecardStore {
  /** Empty: no policy. */
  getRequiredChecks(appId: string): Promise<string[]>;
  setRequiredChecks(appId: string, required: string[]): Promise<void>;
}
