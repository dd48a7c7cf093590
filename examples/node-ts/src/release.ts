export interface ReleaseInfo {
  process: string;
  release: string;
  greeting: string;
}

export function describeRelease(env: NodeJS.ProcessEnv): ReleaseInfo {
  return {
    process: env.DOZEN_PROCESS ?? 'web.1',
    release: env.DOZEN_RELEASE ?? 'dev',
    greeting: env.GREETING ?? 'Hello from TypeScript',
  };
}
