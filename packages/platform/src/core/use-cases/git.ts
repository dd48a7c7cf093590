import { assertBranchName, deployBranches } from '../git-refs.js';
import type { ActingDeps, CoreDeps } from '../deps.js';
import type { App } from '../model.js';
import type { GitRequest, GitResponse } from '../ports/git.js';
import { requireApp } from './apps.js';
import { platformEvent } from './platform-event.js';

export interface GitInfo {
  app: App;
  deployBranch: string | null;
  deployBranches: string[];
}

/** One smart-HTTP request for an app's repository; the app must exist (its name is validated first). */
export async function serveGit(deps: CoreDeps, appName: string, request: GitRequest): Promise<GitResponse> {
  const app = await requireApp(deps, appName);
  return deps.git.serve(app, request);
}

export async function getGitInfo(deps: CoreDeps, appName: string): Promise<GitInfo> {
  const app = await requireApp(deps, appName);
  const deployBranch = await deps.store.getDeployBranch(app.id);
  return { app, deployBranch, deployBranches: deployBranches(deployBranch) };
}

/** Which branch deploys when pushed; null goes back to main or master. */
export async function setDeployBranch(deps: ActingDeps, appName: string, branch: string | null): Promise<GitInfo> {
  if (branch !== null) assertBranchName(branch);
  const app = await requireApp(deps, appName);
  await deps.store.setDeployBranch(app.id, branch);
  platformEvent(deps, app.name, 'api', `Deploy branch set to ${deployBranches(branch).join(' or ')} by ${deps.actor}`);
  return { app, deployBranch: branch, deployBranches: deployBranches(branch) };
}
