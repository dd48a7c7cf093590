import { useState } from 'preact/hooks';
import { PERMISSIONS } from '@dozen/contracts/access';
import { ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** The owner and collaborators with their permissions; add, change, remove (the tab is shown to `manage` only). */
export function Access({ app }: { app: string }) {
  const { client } = useSession();
  const people = usePoll(() => client.call('listAccess', { params: { app } }), [app], 5000);
  const [email, setEmail] = useState('');
  const [chosen, setChosen] = useState<string[]>(['view']);
  const action = useAction();
  const act = (call: () => Promise<unknown>) => void action.run(async () => {
    await call();
    people.reload();
  });
  const add = (event: SubmitEvent) => {
    event.preventDefault();
    act(async () => {
      await client.call('addAccess', { params: { app }, body: { email: email.trim(), permissions: chosen } });
      setEmail('');
    });
  };
  return (
    <>
      <h2>Access</h2>
      <ErrorBox error={people.error ?? action.error} />
      <div class="table-wrap">
        <table class="access">
          <caption class="sr-only">People with access to {app}</caption>
          <thead><tr><th scope="col">User</th><th scope="col">Permissions</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {(people.data ?? []).map((p) => (
              <tr key={p.email} data-email={p.email}>
                <th scope="row">{p.email} {p.role === 'owner' ? <span class="badge">owner</span> : null}</th>
                <td>
                  {p.role === 'owner' ? p.permissions.join(', ') : (
                    <Permissions label={p.email} value={p.permissions} disabled={action.busy}
                      onChange={(next) => act(() => client.call('updateAccess', { params: { app, email: p.email }, body: { permissions: next } }))} />
                  )}
                </td>
                <td class="actions">{p.role === 'owner' ? null : <button type="button" disabled={action.busy} aria-label={`Remove ${p.email}`} onClick={() => act(() => client.call('removeAccess', { params: { app, email: p.email } }))}>Remove</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <form class="inline" aria-label="Add a collaborator" onSubmit={add}>
        <label>Email<input type="email" value={email} required onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} /></label>
        <Permissions label="the new collaborator" value={chosen} disabled={action.busy} onChange={setChosen} />
        <button type="submit" class="primary" disabled={action.busy}>Add collaborator</button>
      </form>
    </>
  );
}

/** One checkbox per permission; view is always included. */
function Permissions(props: { label: string; value: string[]; disabled: boolean; onChange: (next: string[]) => void }) {
  const toggle = (permission: string, on: boolean) => props.onChange(PERMISSIONS.filter((p) => p === 'view' || (p === permission ? on : props.value.includes(p))));
  return (
    <fieldset class="permissions">
      <legend class="sr-only">Permissions of {props.label}</legend>
      {PERMISSIONS.map((p) => (
        <label key={p} class="check">
          <input type="checkbox" checked={p === 'view' || props.value.includes(p)} disabled={props.disabled || p === 'view'} onChange={(e) => toggle(p, (e.currentTarget as HTMLInputElement).checked)} /> {p}
        </label>
      ))}
    </fieldset>
  );
}
