/** A slug as one archive, as served to a cluster's init containers (GET /slugs/:slug). */
export interface ServedSlug {
  bytes: number;
  /** sha256 (hex) of the archive: what the manifests expect. */
  sha256: string;
  open(): NodeJS.ReadableStream;
}

/** Slugs served over HTTP to whoever holds a token scoped to one of them (issue 19). */
export interface SlugDownloads {
  /** The slug id `token` opens, or null when it opens none. */
  slugOfToken(token: string): string | null;
  archive(appId: string, slugId: string): Promise<ServedSlug>;
}
