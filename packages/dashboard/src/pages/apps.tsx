import { useState } from 'preact/hooks';
import { ago, ErrorBox, useAction } from '../components.js';
import { appPath, navigate, onLinkClick } from '../router.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** Every app the caller may view, live (polled every 2 s), and a form to create one. */
export function AppsPage() {
  const { client } = useSession();
  const apps = usePoll(() => client.call('listAppSummaries', {}), []);
  return (
    <>
      <h1>Apps</h1>
      <CreateApp />
      <ErrorBox error={apps.error} />
      {apps.data === undefined ? <p aria-busy="true">Loading…</p> : apps.data.length === 0 ? <p>No apps yet.</p> : (
        <div class="table-wrap">
          <table class="apps">
            <caption class="sr-only">Apps</caption>
            <thead><tr><th scope="col">App</th><th scope="col">State</th><th scope="col">URL</th><th scope="col">Release</th><th scope="col">Processes</th><th scope="col">Last deploy</th></tr></thead>
            <tbody>
              {apps.data.map((app) => (
                <tr key={app.name} data-app={app.name}>
                  <th scope="row"><a href={appPath(app.name)} onClick={onLinkClick}>{app.name}</a></th>
                  <td><span class={`state state-${app.state}`}>{app.state}</span></td>
                  <td><a href={app.webUrl} rel="noreferrer">{app.webUrl.replace(/^https?:\/\//, '')}</a></td>
                  <td class="release">{app.currentRelease === null ? '—' : `v${app.currentRelease}`}</td>
                  <td class="processes">{app.processesUp}/{app.processesTotal}</td>
                  <td>{ago(app.lastDeployAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}

function CreateApp() {
  const { client } = useSession();
  const [name, setName] = useState('');
  const action = useAction();
  const submit = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const made = await client.call('createApp', { body: { name } });
      navigate(appPath(made.name));
    });
  };
  return (
    <form class="inline" onSubmit={submit} aria-label="Create an app">
      <label>New app name<input name="name" value={name} onInput={(e) => setName((e.currentTarget as HTMLInputElement).value)} required /></label>
      <button type="submit" class="primary" disabled={action.busy}>Create app</button>
      <ErrorBox error={action.error} />
    </form>
  );
}
