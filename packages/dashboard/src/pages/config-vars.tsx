import { useState } from 'preact/hooks';
import type { ReleasePlan } from '@dozen/contracts';
import { Confirm, ErrorBox, PlanSteps, useAction } from '../components.js';
import { configChange, parseEnvText, toEnvText } from '../env-text.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

/** Config vars: masked values with reveal, add/edit/remove, and a bulk `.env` editor whose release plan is shown before saving. */
export function ConfigVars({ app }: { app: string }) {
  const { client } = useSession();
  const config = usePoll(() => client.call('getConfig', { params: { app } }), [app], null);
  const [revealed, setRevealed] = useState<Set<string>>(new Set());
  const [editing, setEditing] = useState<{ key: string; value: string; isNew: boolean } | null>(null);
  const [bulk, setBulk] = useState<string | null>(null);
  const action = useAction();
  const vars = config.data ?? {};
  const save = (change: Record<string, string | null>) => action.run(async () => {
    await client.call('updateConfig', { params: { app }, body: change });
    setEditing(null);
    config.reload();
  });
  const toggle = (key: string) => {
    const next = new Set(revealed);
    if (!next.delete(key)) next.add(key);
    setRevealed(next);
  };
  return (
    <>
      <h2>Config vars</h2>
      <ErrorBox error={config.error ?? action.error} />
      <div class="table-wrap">
        <table class="config">
          <caption class="sr-only">Config vars of {app}</caption>
          <thead><tr><th scope="col">Key</th><th scope="col">Value</th><th scope="col">Actions</th></tr></thead>
          <tbody>
            {Object.entries(vars).map(([key, value]) => (
              <tr key={key} data-key={key}>
                <th scope="row"><code>{key}</code></th>
                <td class="value">{revealed.has(key) ? <code>{value}</code> : <span aria-label="hidden value">••••••••</span>}</td>
                <td class="actions">
                  <button type="button" aria-pressed={revealed.has(key)} aria-label={`${revealed.has(key) ? 'Hide' : 'Reveal'} ${key}`} onClick={() => toggle(key)}>{revealed.has(key) ? 'Hide' : 'Reveal'}</button>
                  <button type="button" aria-label={`Edit ${key}`} onClick={() => setEditing({ key, value, isNew: false })}>Edit</button>
                  <button type="button" aria-label={`Remove ${key}`} disabled={action.busy} onClick={() => void save({ [key]: null })}>Remove</button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {editing ? (
        <form class="inline" aria-label={editing.isNew ? 'Add a config var' : `Edit ${editing.key}`} onSubmit={(e) => { e.preventDefault(); void save({ [editing.key]: editing.value }); }}>
          <label>Key<input value={editing.key} readOnly={!editing.isNew} required onInput={(e) => setEditing({ ...editing, key: (e.currentTarget as HTMLInputElement).value })} /></label>
          <label>Value<input value={editing.value} onInput={(e) => setEditing({ ...editing, value: (e.currentTarget as HTMLInputElement).value })} /></label>
          <button type="submit" class="primary" disabled={action.busy}>Save</button>
          <button type="button" onClick={() => setEditing(null)}>Cancel</button>
        </form>
      ) : (
        <div class="actions">
          <button type="button" onClick={() => setEditing({ key: '', value: '', isNew: true })}>Add a config var</button>
          <button type="button" onClick={() => setBulk(toEnvText(vars))}>Bulk edit (.env)</button>
        </div>
      )}
      {bulk !== null ? <BulkEditor app={app} current={vars} initial={bulk} onDone={() => { setBulk(null); config.reload(); }} /> : null}
    </>
  );
}

/** The whole config as `.env` text: keys left out are removed. The dry-run plan is shown and confirmed before saving. */
function BulkEditor({ app, current, initial, onDone }: { app: string; current: Record<string, string>; initial: string; onDone: () => void }) {
  const { client } = useSession();
  const [text, setText] = useState(initial);
  const [plan, setPlan] = useState<{ change: Record<string, string | null>; plan: ReleasePlan } | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const action = useAction();
  const review = (event: SubmitEvent) => {
    event.preventDefault();
    const parsed = parseEnvText(text);
    setProblems(parsed.errors);
    if (parsed.errors.length > 0) return;
    const change = configChange(current, parsed.vars);
    void action.run(async () => {
      const answer = await client.call('updateConfig', { params: { app }, query: { dryRun: true }, body: change });
      if ('dryRun' in answer) setPlan({ change, plan: answer });
    });
  };
  const saveAll = () => void action.run(async () => {
    await client.call('updateConfig', { params: { app }, body: plan!.change });
    onDone();
  });
  return (
    <section aria-labelledby="bulk-title">
      <h3 id="bulk-title">Bulk edit</h3>
      <form onSubmit={review}>
        <label>Config as .env text (KEY=value per line; keys left out are removed)
          <textarea name="env" rows={10} spellcheck={false} value={text} onInput={(e) => { setText((e.currentTarget as HTMLTextAreaElement).value); setPlan(null); }} />
        </label>
        {problems.length > 0 ? <ul class="error" role="alert">{problems.map((p) => <li key={p}>{p}</li>)}</ul> : null}
        <div class="actions">
          <button type="submit" disabled={action.busy}>Review changes</button>
          <button type="button" onClick={onDone}>Cancel</button>
        </div>
      </form>
      <ErrorBox error={action.error} />
      {plan ? (
        <Confirm title="Save config" busy={action.busy} confirmLabel="Save and release" onConfirm={saveAll} onCancel={() => setPlan(null)}>
          {plan.plan.release === null ? <p>Nothing changes: no release is made.</p> : <p>This makes release v{plan.plan.release}: {plan.plan.description}.</p>}
          <p>Set: {plan.plan.config.set.join(', ') || 'nothing'} · Unset: {plan.plan.config.unset.join(', ') || 'nothing'}</p>
          <PlanSteps steps={plan.plan.steps} />
        </Confirm>
      ) : null}
    </section>
  );
}
