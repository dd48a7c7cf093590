import type { App } from '../core/model.js';
import type { GitRequest, GitResponse, GitService } from '../core/ports/git.js';

export interface ClosableGitService extends GitService {
  close(): Promise<void>;
}

/**
 * The git service made on first use (the first request to an app's repository, or the first
 * removal): a platform that is never pushed to never loads git's modules nor writes its hook
 * (docs/decisions.md, "Idle memory"). `create` is the composition root's factory.
 */
export class LazyGitService implements ClosableGitService {
  private service: Promise<ClosableGitService> | null = null;

  constructor(private readonly create: () => Promise<ClosableGitService>) {}

  async serve(app: App, request: GitRequest): Promise<GitResponse> {
    return (await this.loaded()).serve(app, request);
  }

  async removeRepository(app: App): Promise<void> {
    return (await this.loaded()).removeRepository(app);
  }

  async close(): Promise<void> {
    if (this.service) await (await this.service).close();
  }

  private loaded(): Promise<ClosableGitService> {
    this.service ??= this.create();
    return this.service;
  }
}
