/** Between the ACME client and the router: HTTP-01 answers the router serves on its HTTP port. */
export interface AcmeChallenges {
  /** GET http://<name>/.well-known/acme-challenge/<token> answers `keyAuthorization` until removed. */
  setChallenge(token: string, keyAuthorization: string): void;
  removeChallenge(token: string): void;
}
