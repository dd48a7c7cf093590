import { ErrorBox } from '../components.js';
import { appPath, onLinkClick } from '../router.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { Activity } from './activity.js';
import { ConfigVars } from './config-vars.js';
import { Logs } from './logs.js';
import { Metrics } from './metrics.js';
import { Overview } from './overview.js';

export type Tab = 'overview' | 'activity' | 'config' | 'logs' | 'metrics';

/** One app: its tabs, and the caller's permissions on it (only the controls they may use are shown). */
export function AppPage({ app, tab }: { app: string; tab: Tab }) {
  const { client } = useSession();
  const summary = usePoll(async () => (await client.call('listAppSummaries', {})).find((s) => s.name === app) ?? null, [app], 5000);
  const permissions = summary.data?.permissions ?? [];
  const may = (permission: string) => permissions.includes(permission);
  const tabs: [Tab, string][] = [['overview', 'Overview'], ['activity', 'Activity'], ['logs', 'Logs'], ['metrics', 'Metrics']];
  if (may('deploy')) tabs.push(['config', 'Config vars']);
  return (
    <>
      <h1>{app}</h1>
      {summary.data === null ? <ErrorBox error={{ code: 'APP_NOT_FOUND', message: `There is no app named ${app}.`, hint: 'Go back to the apps page.' }} /> : null}
      <nav class="tabs" aria-label={`${app} sections`}>
        {tabs.map(([id, label]) => (
          <a key={id} href={appPath(app, id)} onClick={onLinkClick} aria-current={tab === id ? 'page' : undefined}>{label}</a>
        ))}
      </nav>
      <ErrorBox error={summary.error} />
      {summary.data === undefined ? <p aria-busy="true">Loading…</p> : tab === 'activity' ? <Activity app={app} may={may} /> : tab === 'logs' ? <Logs app={app} /> : tab === 'metrics' ? <Metrics app={app} /> : tab === 'config' && may('deploy') ? <ConfigVars app={app} /> : <Overview app={app} may={may} />}
    </>
  );
}
