import type { App } from '../core/model.js';
import type { Builder, BuildRequest, BuiltSlug } from '../core/ports/build.js';

/**
 * The build pipeline made on first use (the first build, buildpack check, cache purge or app
 * removal): a platform restarted with its apps deployed does not load the slug builder, the
 * buildpacks and the Node.js toolchain until it builds again (docs/decisions.md, "Idle memory").
 * `create` is the composition root's factory.
 */
export class LazyBuilder implements Builder {
  private builder: Promise<Builder> | null = null;

  constructor(private readonly create: () => Promise<Builder>) {}

  async build(request: BuildRequest): Promise<BuiltSlug> {
    return (await this.loaded()).build(request);
  }

  async copySlug(from: { appId: string; slugId: string }, to: { appId: string; slugId: string }): Promise<{ digest: string; sizeBytes: number }> {
    return (await this.loaded()).copySlug(from, to);
  }

  async removeApp(app: App): Promise<void> {
    return (await this.loaded()).removeApp(app);
  }

  async purgeCache(app: App): Promise<void> {
    return (await this.loaded()).purgeCache(app);
  }

  async checkBuildpacks(urls: string[]): Promise<void> {
    return (await this.loaded()).checkBuildpacks(urls);
  }

  private loaded(): Promise<Builder> {
    this.builder ??= this.create();
    return this.builder;
  }
}
