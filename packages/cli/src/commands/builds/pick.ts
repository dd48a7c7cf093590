import type { Build, DozenClient } from '@dozen/contracts';
import { DozenError } from '@dozen/contracts/errors';

/** The build named on the command line, or the newest one (Heroku's default). */
export async function pickBuild(client: DozenClient, app: string, id: string | undefined, running = false): Promise<Build> {
  if (id) return client.call('getBuild', { params: { app, build: id } });
  const builds = await client.call('listBuilds', { params: { app } });
  const build = running ? builds.find((b) => b.status === 'pending' || b.status === 'building') : builds[0];
  if (!build) throw new DozenError('BUILD_NOT_FOUND', running ? `${app} has no pending or running build.` : `${app} has no builds yet.`);
  return build;
}
