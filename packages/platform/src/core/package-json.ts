/** The parts of an app's package.json that Dozen reads: the Node.js buildpack and the scorecard's checks. */
export interface PackageJson {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  engines?: Record<string, string>;
  packageManager?: string;
  overrides?: unknown;
  resolutions?: unknown;
  pnpm?: unknown;
  workspaces?: unknown;
}
