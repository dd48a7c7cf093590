import type { App, RefUpdate } from '../model.js';
import type { OutputWriter } from './build.js';

/** The apps' git repositories and pushes. */

/** One git smart-HTTP request for an app's repository, as the API received it. */
export interface GitRequest {
  method: 'GET' | 'POST';
  /** `info/refs`, `git-upload-pack` or `git-receive-pack`. */
  action: 'info/refs' | 'git-upload-pack' | 'git-receive-pack';
  /** The `service` of an `info/refs` request. */
  service: 'git-upload-pack' | 'git-receive-pack' | null;
  headers: { contentType?: string | undefined; contentEncoding?: string | undefined; gitProtocol?: string | undefined };
  body: AsyncIterable<Uint8Array>;
  /** Who is asking (for git's logs and reflogs); never a secret. */
  user: string;
  remoteAddress: string;
}

export interface GitResponse {
  status: number;
  headers: Record<string, string>;
  /** Streamed as git writes it; a reader that stops early does not stop a push under way. */
  body: AsyncIterable<Uint8Array>;
}

/** The app's bare repository, served by git itself. */
export interface GitService {
  serve(app: App, request: GitRequest): Promise<GitResponse>;
  /** Deletes the app's repository. */
  removeRepository(app: App): Promise<void>;
}

/**
 * A push, as the pre-receive step sees it: the ref updates git is about to make, and the pushed
 * objects (still in quarantine) to read a commit from. Until `receivePush` answers, git waits.
 */
export interface Push {
  app: App;
  /** Who pushed (the GitRequest's user): their deploy is announced with it. */
  pusher: string;
  updates: RefUpdate[];
  /** The repository's refs (name -> commit) as they are now, after earlier pushes to the app finished. */
  refs: Record<string, string>;
  /** The tree of `commit` as a tar stream; throws GIT_TREE_UNSUPPORTED for submodules or nested .git. */
  archive(commit: string): AsyncIterable<Uint8Array>;
  /** Lines for the pusher's terminal (git prints them as `remote:` lines). */
  output: OutputWriter;
}

/** What the platform answers a push: accepted, git updates the refs; refused, git changes nothing. */
export interface PushVerdict {
  accepted: boolean;
}
