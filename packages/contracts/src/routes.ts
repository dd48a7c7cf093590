import { Type, type Static, type TSchema } from 'typebox';
import {
  AppInfoSchema, AppParams, AppSchema, BuildParams, BuildSchema, ConfigUpdateBody, ConfigUpdateResultSchema,
  ConfigVarsSchema, CreateAppBody, DestroyedSchema, FormationEntrySchema, FormationUpdateBody, GitInfoSchema, GitUpdateBody,
  LogLineSchema, LogQuery, ProcessSchema, ReleaseSchema, RestartBody, RollbackBody,
} from './schemas/index.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** One JSON route of the API, as data: the server registers it, the client calls it. */
export interface JsonRoute {
  method: HttpMethod;
  url: string;
  params?: TSchema;
  querystring?: TSchema;
  body?: TSchema;
  response: TSchema;
  status?: number;
  summary: string;
}

export const HealthSchema = Type.Object({ status: Type.Literal('ok'), version: Type.String() });
export const WhoAmISchema = Type.Object({ token: Type.String(), role: Type.String() });

export const routes = {
  health: { method: 'GET', url: '/healthz', response: HealthSchema, summary: 'Liveness; the only route without a token.' },
  whoami: { method: 'GET', url: '/auth/whoami', response: WhoAmISchema, summary: 'Check a token.' },

  listApps: { method: 'GET', url: '/apps', response: Type.Array(AppSchema), summary: 'List apps.' },
  createApp: { method: 'POST', url: '/apps', body: CreateAppBody, response: AppSchema, status: 201, summary: 'Create an app.' },
  getApp: { method: 'GET', url: '/apps/:app', params: AppParams, response: AppInfoSchema, summary: 'App info.' },
  destroyApp: { method: 'DELETE', url: '/apps/:app', params: AppParams, querystring: Type.Object({ confirm: Type.Optional(Type.String({ maxLength: 256 })) }), response: DestroyedSchema, summary: 'Stop every process and delete the app with its data.' },

  listBuilds: { method: 'GET', url: '/apps/:app/builds', params: AppParams, response: Type.Array(BuildSchema), summary: 'List builds, newest first.' },
  getBuild: { method: 'GET', url: '/apps/:app/builds/:build', params: BuildParams, response: BuildSchema, summary: 'One build and its outcome.' },

  listReleases: { method: 'GET', url: '/apps/:app/releases', params: AppParams, response: Type.Array(ReleaseSchema), summary: 'List releases, newest first.' },
  rollback: { method: 'POST', url: '/apps/:app/releases/rollback', params: AppParams, body: RollbackBody, response: ReleaseSchema, status: 201, summary: 'Make a new release from an earlier one (default: the one before the current).' },

  getConfig: { method: 'GET', url: '/apps/:app/config', params: AppParams, response: ConfigVarsSchema, summary: 'Config vars of the current release.' },
  updateConfig: { method: 'PATCH', url: '/apps/:app/config', params: AppParams, body: ConfigUpdateBody, response: ConfigUpdateResultSchema, summary: 'Set (string) or unset (null) config vars; makes a new release.' },

  getFormation: { method: 'GET', url: '/apps/:app/formation', params: AppParams, response: Type.Array(FormationEntrySchema), summary: 'Desired process counts.' },
  updateFormation: { method: 'PATCH', url: '/apps/:app/formation', params: AppParams, body: FormationUpdateBody, response: Type.Array(FormationEntrySchema), summary: 'Scale process types.' },

  listProcesses: { method: 'GET', url: '/apps/:app/processes', params: AppParams, response: Type.Array(ProcessSchema), summary: 'Running processes.' },
  restartProcesses: { method: 'POST', url: '/apps/:app/processes/restart', params: AppParams, body: RestartBody, response: Type.Array(ProcessSchema), summary: 'Restart all processes, or those of one type.' },

  getLogs: { method: 'GET', url: '/apps/:app/logs', params: AppParams, querystring: LogQuery, response: Type.Array(LogLineSchema), summary: 'Recent log lines, oldest first.' },

  getGit: { method: 'GET', url: '/apps/:app/git', params: AppParams, response: GitInfoSchema, summary: "The app's git repository path and deploy branches." },
  updateGit: { method: 'PATCH', url: '/apps/:app/git', params: AppParams, body: GitUpdateBody, response: GitInfoSchema, summary: 'Set the branch whose pushes deploy (null: main or master).' },
} as const satisfies Record<string, JsonRoute>;

export type RouteName = keyof typeof routes;

/**
 * Routes that are not request/response JSON. They are listed here so that the server and the
 * client agree on their paths and so that the auth test can crawl every route.
 */
export const streamRoutes = {
  createBuild: { method: 'POST', url: '/apps/:app/builds', contentType: 'application/gzip', summary: 'Upload a gzipped tarball of the source; answers 201 with the build, which then runs.' },
  buildOutput: { method: 'GET', url: '/apps/:app/builds/:build/output', contentType: 'text/plain', summary: 'Build output, live until the build ends.' },
  tailLogs: { method: 'GET', url: '/apps/:app/logs/stream', contentType: 'text/event-stream', summary: 'Server-sent events: recent lines, then live ones.' },
  run: { method: 'GET', url: '/apps/:app/run', contentType: 'websocket', summary: 'A one-off process; see run-protocol.' },
  gitInfoRefs: { method: 'GET', url: '/git/:app.git/info/refs', contentType: 'application/x-git-upload-pack-advertisement', summary: 'Git smart HTTP: ref advertisement (?service=git-upload-pack or git-receive-pack).' },
  gitUploadPack: { method: 'POST', url: '/git/:app.git/git-upload-pack', contentType: 'application/x-git-upload-pack-request', summary: 'Git smart HTTP: fetch and clone.' },
  gitReceivePack: { method: 'POST', url: '/git/:app.git/git-receive-pack', contentType: 'application/x-git-receive-pack-request', summary: 'Git smart HTTP: push; a push to the deploy branch builds and releases it.' },
} as const;

type MaybeStatic<T> = T extends TSchema ? Static<T> : never;

/** The input a client passes for a route: only the parts the route declares. */
export type RouteInput<R extends JsonRoute> =
  (R['params'] extends TSchema ? { params: MaybeStatic<R['params']> } : { params?: undefined }) &
  (R['querystring'] extends TSchema ? { query?: MaybeStatic<R['querystring']> } : { query?: undefined }) &
  (R['body'] extends TSchema ? { body: MaybeStatic<R['body']> } : { body?: undefined });

export type RouteOutput<R extends JsonRoute> = Static<R['response']>;

/** Fill `:name` placeholders, encoding each value so that it stays one path segment. */
export function fillPath(url: string, params: Record<string, string | number> | undefined): string {
  return url.replace(/:([a-zA-Z]+)/g, (_, name: string) => {
    const value = params?.[name];
    if (value === undefined) throw new Error(`missing path parameter ${name} for ${url}`);
    return encodeURIComponent(String(value));
  });
}
