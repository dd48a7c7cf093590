import { useState } from 'preact/hooks';
import { ago, ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** Log drains with their counters; add and remove (manage only). */
export function Drains({ app, may }: { app: string; may: (permission: string) => boolean }) {
  const { client } = useSession();
  const drains = usePoll(() => client.call('listDrains', { params: { app } }), [app], 5000);
  const [url, setUrl] = useState('');
  const action = useAction();
  const manage = may('manage');
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await client.call('addDrain', { params: { app }, body: { url: url.trim() } });
      setUrl('');
      drains.reload();
    });
  };
  const remove = (id: string) => void action.run(async () => {
    await client.call('removeDrain', { params: { app, drain: id } });
    drains.reload();
  });
  return (
    <>
      <h2>Drains</h2>
      <ErrorBox error={drains.error ?? action.error} />
      {drains.data?.length === 0 ? <p>No drains.</p> : null}
      <div class="table-wrap">
        <table class="drains">
          <caption class="sr-only">Log drains of {app}</caption>
          <thead><tr><th scope="col">URL</th><th scope="col">Delivered</th><th scope="col">Dropped</th><th scope="col">Queued</th><th scope="col">Last error</th>{manage ? <th scope="col">Actions</th> : null}</tr></thead>
          <tbody>
            {(drains.data ?? []).map((d) => (
              <tr key={d.id} data-drain={d.id}>
                <th scope="row"><code>{d.url}</code> <span class="badge">{d.kind}</span></th>
                <td>{d.delivered}</td><td>{d.dropped}</td><td>{d.queued}</td>
                <td>{d.lastError ? `${d.lastError} (${ago(d.lastErrorAt)})` : '—'}</td>
                {manage ? <td class="actions"><button type="button" disabled={action.busy} aria-label={`Remove drain ${d.url}`} onClick={() => remove(d.id)}>Remove</button></td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {manage ? (
        <form class="inline" aria-label="Add a drain" onSubmit={add}>
          <label>Drain URL<input value={url} required placeholder="syslog+tls://logs.example.com:6514" onInput={(e) => setUrl((e.currentTarget as HTMLInputElement).value)} /></label>
          <button type="submit" class="primary" disabled={action.busy}>Add drain</button>
        </form>
      ) : null}
    </>
  );
}
