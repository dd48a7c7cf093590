import { Fragment } from 'preact';
import { useState } from 'preact/hooks';
import type { Release, ReleaseDiff } from '@dozen/contracts';
import { ErrorBox, useAction } from '../components.js';
import { useSession } from '../session.js';

/** Pick two releases and see what changed: config key names (never values), add-ons, slug, build, commit. */
export function ReleaseDiffPanel({ app, releases }: { app: string; releases: Release[] }) {
  const { client } = useSession();
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [diff, setDiff] = useState<ReleaseDiff | null>(null);
  const action = useAction();
  if (releases.length < 2) return null;
  const fromVersion = from || String(releases[1]!.version);
  const toVersion = to || String(releases[0]!.version);
  const compare = (event: SubmitEvent) => {
    event.preventDefault();
    void action.run(async () => setDiff(await client.call('diffReleases', { params: { app }, query: { from: Number(fromVersion), to: Number(toVersion) } })));
  };
  const choice = (label: string, value: string, set: (v: string) => void) => (
    <label>{label}
      <select aria-label={`Compare ${label.toLowerCase()}`} value={value} onChange={(e) => { set((e.currentTarget as HTMLSelectElement).value); setDiff(null); }}>
        {releases.map((r) => <option key={r.version} value={String(r.version)}>v{r.version} {r.description}</option>)}
      </select>
    </label>
  );
  return (
    <section aria-labelledby="diff-title">
      <h2 id="diff-title">Compare releases</h2>
      <form class="inline" aria-label="Compare two releases" onSubmit={compare}>
        {choice('From', fromVersion, setFrom)}
        {choice('To', toVersion, setTo)}
        <button type="submit" disabled={action.busy}>Compare</button>
      </form>
      <ErrorBox error={action.error} />
      {diff ? <DiffView diff={diff} /> : null}
    </section>
  );
}

function DiffView({ diff }: { diff: ReleaseDiff }) {
  const keys = (names: string[]) => (names.length === 0 ? 'none' : names.map((n, i) => <Fragment key={n}>{i > 0 ? ', ' : ''}<code>{n}</code></Fragment>));
  const change = (label: string, c: { from: string | null; to: string | null } | null) =>
    c ? <li>{label}: {c.from ?? 'none'} → {c.to ?? 'none'}</li> : null;
  return (
    <ul class="diff" aria-label={`Changes from v${diff.from} to v${diff.to}`} data-diff={`${diff.from}-${diff.to}`}>
      <li data-change="added">Config added: {keys(diff.config.added)}</li>
      <li data-change="removed">Config removed: {keys(diff.config.removed)}</li>
      <li data-change="changed">Config changed (values not shown): {keys(diff.config.changed)}</li>
      <li data-change="addons">Add-ons attached: {keys(diff.addons.attached)} · detached: {keys(diff.addons.detached)}</li>
      {change('Slug', diff.slug)}
      {change('Build', diff.build)}
      {change('Commit', diff.commit)}
      {!diff.slug && !diff.build && !diff.commit ? <li>Same slug and build.</li> : null}
    </ul>
  );
}
