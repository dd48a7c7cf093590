import { ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** Maintenance mode (issue 17): shown to every viewer, switched by those with manage. */
export function MaintenanceToggle({ app, canManage }: { app: string; canManage: boolean }) {
  const { client } = useSession();
  const state = usePoll(() => client.call('getMaintenance', { params: { app } }), [app], 10_000);
  const action = useAction();
  const on = state.data?.maintenance;
  const set = (maintenance: boolean) => void action.run(() => client.call('setMaintenance', { params: { app }, body: { maintenance } })).then(state.reload);
  if (on === undefined) return <ErrorBox error={state.error} />;
  return (
    <section aria-labelledby="maintenance-title" class="maintenance">
      <h2 id="maintenance-title">Maintenance mode</h2>
      <ErrorBox error={state.error ?? action.error} />
      <p>
        <span class={`state state-${on ? 'crashed' : 'up'}`}>{on ? 'on: requests get a 503 maintenance page (H80)' : 'off'}</span>{' '}
        {canManage ? (
          <button type="button" disabled={action.busy} onClick={() => set(!on)}>{on ? 'Turn maintenance off' : 'Turn maintenance on'}</button>
        ) : null}
      </p>
    </section>
  );
}
