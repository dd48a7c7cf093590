import { useEffect, useState } from 'preact/hooks';
import type { Build, ReleasePlan } from '@dozen/contracts';
import { ago, Confirm, ErrorBox, PlanSteps, useAction } from '../components.js';
import { releaseAuthors } from '../release-authors.js';
import { useSession } from '../session.js';
import { ReleaseDiffPanel } from './release-diff.js';
import { usePoll } from '../use-poll.js';

/** Releases (why, rollback with a confirmed dry run) and builds (output streamed while running). */
export function Activity({ app, may }: { app: string; may: (permission: string) => boolean }) {
  const { client } = useSession();
  const releases = usePoll(() => client.call('listReleases', { params: { app } }), [app]);
  const builds = usePoll(() => client.call('listBuilds', { params: { app } }), [app]);
  const audit = usePoll(() => client.call('listAppAudit', { params: { app }, query: { limit: 500 } }), [app], 5000);
  const authors = releaseAuthors(releases.data ?? [], audit.data ?? []);
  const [rollback, setRollback] = useState<{ version: number; plan: ReleasePlan } | null>(null);
  const action = useAction();
  const planRollback = (version: number) => void action.run(async () => {
    const plan = await client.call('rollback', { params: { app }, query: { dryRun: true }, body: { version } });
    if ('dryRun' in plan) setRollback({ version, plan });
  });
  const confirmRollback = () => void action.run(async () => {
    await client.call('rollback', { params: { app }, body: { version: rollback!.version } });
    setRollback(null);
    releases.reload();
  });
  return (
    <>
      <h2>Releases</h2>
      <ErrorBox error={releases.error ?? action.error} />
      {rollback ? (
        <Confirm title={`Roll back to v${rollback.version}`} busy={action.busy} confirmLabel="Roll back" onConfirm={confirmRollback} onCancel={() => setRollback(null)}>
          <p>This makes release v{rollback.plan.release ?? '?'}: {rollback.plan.description}.</p>
          <PlanSteps steps={rollback.plan.steps} />
        </Confirm>
      ) : null}
      <ul class="releases">
        {(releases.data ?? []).map((r) => (
          <li key={r.version} data-release={r.version}>
            <strong>v{r.version}</strong> <span class="description">{r.description}</span> <span class={`state state-${r.status}`}>{r.status}</span>
            {r.current ? <span class="badge">current</span> : null} <span class="when">{ago(r.createdAt)}{authors.has(r.version) ? ` by ${authors.get(r.version)}` : ''}</span>
            {may('deploy') && !r.current && r.status === 'succeeded' ? <button type="button" aria-label={`Roll back to v${r.version}`} disabled={action.busy} onClick={() => planRollback(r.version)}>Roll back</button> : null}
          </li>
        ))}
      </ul>
      <ReleaseDiffPanel app={app} releases={releases.data ?? []} />
      <h2>Builds</h2>
      <ErrorBox error={builds.error} />
      <ul class="builds">
        {(builds.data ?? []).map((b, i) => <BuildItem key={b.id} app={app} build={b} open={i === 0} />)}
      </ul>
    </>
  );
}

const RUNNING = new Set(['pending', 'building', 'releasing']);

function BuildItem({ app, build, open }: { app: string; build: Build; open: boolean }) {
  const [shown, setShown] = useState(open);
  return (
    <li data-build={build.id}>
      <strong>{build.id.slice(0, 8)}</strong> <span class={`state state-${build.status}`}>{build.status}</span> <span class="when">{ago(build.createdAt)}</span>
      {build.release !== null ? <span> → v{build.release}</span> : null}
      {build.error ? <ErrorBox error={build.error} /> : null}
      <button type="button" class="link" aria-expanded={shown} onClick={() => setShown(!shown)}>{shown ? 'Hide output' : 'Show output'}</button>
      {shown ? <BuildOutput app={app} build={build.id} running={RUNNING.has(build.status)} /> : null}
    </li>
  );
}

/** The build's output, streamed live while it runs (the same stream `dozen deploy` follows). */
function BuildOutput({ app, build, running }: { app: string; build: string; running: boolean }) {
  const { client } = useSession();
  const [text, setText] = useState('');
  const action = useAction();
  useEffect(() => {
    let live = true;
    setText('');
    void action.run(async () => {
      for await (const chunk of client.buildOutput(app, build)) {
        if (!live) return;
        setText((previous) => previous + chunk);
      }
    });
    return () => {
      live = false;
    };
  }, [app, build]);
  return (
    <>
      <pre class="output" aria-label={`Output of build ${build.slice(0, 8)}`} aria-live={running ? 'polite' : 'off'} tabIndex={0}>{text}</pre>
      <ErrorBox error={action.error} />
    </>
  );
}
