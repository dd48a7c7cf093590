import { useState } from 'preact/hooks';
import type { Addon } from '@dozen/contracts';
import { ago, Confirm, ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** Add-ons the app owns or has attached: plan, server facts, attachments; create, attach, detach, destroy (manage only). */
export function Addons({ app, may }: { app: string; may: (permission: string) => boolean }) {
  const { client } = useSession();
  const addons = usePoll(() => client.call('listAddons', { params: { app } }), [app], 5000);
  const [destroying, setDestroying] = useState<string | null>(null);
  const action = useAction();
  const manage = may('manage');
  const act = (call: () => Promise<unknown>) => void action.run(async () => {
    await call();
    addons.reload();
  });
  const destroy = () => act(async () => {
    await client.call('destroyAddon', { params: { app, addon: destroying! }, query: { confirm: destroying! } });
    setDestroying(null);
  });
  return (
    <>
      <h2>Add-ons</h2>
      <ErrorBox error={addons.error ?? action.error} />
      {destroying ? (
        <Confirm title={`Destroy ${destroying}`} busy={action.busy} confirmLabel="Destroy" onConfirm={destroy} onCancel={() => setDestroying(null)}>
          <p>The add-on is detached from every app (a release each) and deleted with its data. This cannot be undone.</p>
        </Confirm>
      ) : null}
      {addons.data?.length === 0 ? <p>No add-ons.</p> : null}
      <ul class="releases addons">
        {(addons.data ?? []).map((a) => (
          <AddonItem key={a.name} app={app} addon={a} manage={manage} busy={action.busy}
            onDetach={(name) => act(() => client.call('detachAddon', { params: { app, name } }))}
            onDestroy={() => setDestroying(a.name)} />
        ))}
      </ul>
      {manage ? <AddonForms app={app} onChange={addons.reload} /> : null}
    </>
  );
}

function AddonItem(props: { app: string; addon: Addon; manage: boolean; busy: boolean; onDetach: (name: string) => void; onDestroy: () => void }) {
  const { client } = useSession();
  const { addon } = props;
  const info = usePoll(() => client.call('getAddon', { params: { app: props.app, addon: addon.name } }), [props.app, addon.name], null);
  const server = Object.entries(info.data?.details ?? {}).map(([k, v]) => `${k}: ${v}`).join(' · ');
  const here = addon.attachments.filter((t) => t.app === props.app);
  return (
    <li data-addon={addon.name}>
      <strong>{addon.name}</strong> <span class="badge">{addon.provider}:{addon.plan}</span>
      <span class="when">owned by {addon.app} · {ago(addon.createdAt)}</span>
      {server ? <span class="command">{server}</span> : null}
      <span>Attachments: {addon.attachments.map((t) => `${t.app}::${t.name}`).join(', ') || 'none'}</span>
      {props.manage ? here.map((t) => <button key={t.name} type="button" disabled={props.busy} aria-label={`Detach ${t.name}`} onClick={() => props.onDetach(t.name)}>Detach {t.name}</button>) : null}
      {props.manage && addon.app === props.app ? <button type="button" disabled={props.busy} aria-label={`Destroy ${addon.name}`} onClick={props.onDestroy}>Destroy</button> : null}
    </li>
  );
}

function AddonForms({ app, onChange }: { app: string; onChange: () => void }) {
  const { client } = useSession();
  const [create, setCreate] = useState({ provider: '', plan: '', as: '', url: '' });
  const [attach, setAttach] = useState({ addon: '', as: '' });
  const action = useAction();
  const opt = (value: string) => (value.trim() ? value.trim() : undefined);
  const submitCreate = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await client.call('createAddon', { params: { app }, body: { provider: create.provider.trim(), plan: opt(create.plan), as: opt(create.as), url: opt(create.url) } });
      setCreate({ provider: '', plan: '', as: '', url: '' });
      onChange();
    });
  };
  const submitAttach = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await client.call('attachAddon', { params: { app }, body: { addon: attach.addon.trim(), as: opt(attach.as) } });
      setAttach({ addon: '', as: '' });
      onChange();
    });
  };
  const field = <T extends Record<string, string>>(state: T, set: (next: T) => void, key: keyof T & string) =>
    (e: Event) => set({ ...state, [key]: (e.currentTarget as HTMLInputElement).value });
  return (
    <>
      <ErrorBox error={action.error} />
      <form class="inline" aria-label="Create an add-on" onSubmit={submitCreate}>
        <label>Provider<input value={create.provider} required placeholder="postgres, redis, url" onInput={field(create, setCreate, 'provider')} /></label>
        <label>Plan<input value={create.plan} onInput={field(create, setCreate, 'plan')} /></label>
        <label>Config var<input value={create.as} placeholder="DATABASE_URL" onInput={field(create, setCreate, 'as')} /></label>
        <label>URL (url provider)<input value={create.url} onInput={field(create, setCreate, 'url')} /></label>
        <button type="submit" class="primary" disabled={action.busy}>Create add-on</button>
      </form>
      <form class="inline" aria-label="Attach an add-on" onSubmit={submitAttach}>
        <label>Add-on<input value={attach.addon} required placeholder="postgres-3f9a1c2e" onInput={field(attach, setAttach, 'addon')} /></label>
        <label>As config var<input value={attach.as} onInput={field(attach, setAttach, 'as')} /></label>
        <button type="submit" disabled={action.busy}>Attach</button>
      </form>
    </>
  );
}
