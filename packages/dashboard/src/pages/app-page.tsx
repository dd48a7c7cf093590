import { ErrorBox } from '../components.js';
import { appPath, onLinkClick } from '../router.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { Access } from './access.js';
import { Activity } from './activity.js';
import { Addons } from './addons.js';
import { ConfigVars } from './config-vars.js';
import { Domains } from './domains.js';
import { Drains } from './drains.js';
import { Logs } from './logs.js';
import { Metrics } from './metrics.js';
import { Overview } from './overview.js';

export type Tab = 'overview' | 'activity' | 'config' | 'logs' | 'metrics' | 'addons' | 'domains' | 'drains' | 'access';

/** One app: its tabs, and the caller's permissions on it (only the controls they may use are shown). */
export function AppPage({ app, tab }: { app: string; tab: Tab }) {
  const { client } = useSession();
  const summary = usePoll(async () => (await client.call('listAppSummaries', {})).find((s) => s.name === app) ?? null, [app], 5000);
  const permissions = summary.data?.permissions ?? [];
  const may = (permission: string) => permissions.includes(permission);
  const tabs: [Tab, string][] = [['overview', 'Overview'], ['activity', 'Activity'], ['logs', 'Logs'], ['metrics', 'Metrics']];
  if (may('deploy')) tabs.push(['config', 'Config vars']);
  tabs.push(['addons', 'Add-ons'], ['domains', 'Domains'], ['drains', 'Drains']);
  if (may('manage')) tabs.push(['access', 'Access']);
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
      {summary.data === undefined ? <p aria-busy="true">Loading…</p> : <TabBody app={app} tab={tab} may={may} />}
    </>
  );
}

/** The chosen tab's page; a tab the user may not use falls back to the overview. */
function TabBody({ app, tab, may }: { app: string; tab: Tab; may: (permission: string) => boolean }) {
  if (tab === 'activity') return <Activity app={app} may={may} />;
  if (tab === 'logs') return <Logs app={app} />;
  if (tab === 'metrics') return <Metrics app={app} />;
  if (tab === 'config' && may('deploy')) return <ConfigVars app={app} />;
  if (tab === 'addons') return <Addons app={app} may={may} />;
  if (tab === 'domains') return <Domains app={app} may={may} />;
  if (tab === 'drains') return <Drains app={app} may={may} />;
  if (tab === 'access' && may('manage')) return <Access app={app} />;
  return <Overview app={app} may={may} />;
}
