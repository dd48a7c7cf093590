import { useState } from 'preact/hooks';
import type { Plan } from '@dozen/contracts';
import { Confirm, duration, ErrorBox, mib, PlanSteps, useAction } from '../components.js';
import { lastCpuByProcess, shown } from '../metric-series.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';
import { ScorecardPanel } from './scorecard-panel.js';
import { MaintenanceToggle } from './maintenance-toggle.js';

/** The formation with steppers (the dry-run plan confirmed before applying) and the live process list. */
export function Overview({ app, may }: { app: string; may: (permission: string) => boolean }) {
  const { client } = useSession();
  const info = usePoll(() => client.call('getApp', { params: { app } }), [app], 5000);
  const processes = usePoll(() => client.call('listProcesses', { params: { app } }), [app]);
  // CPU: the last step of the metrics series (a share of one core), beside the CPU time so far.
  const series = usePoll(() => client.call('appMetrics', { params: { app }, query: { since: '5m' } }), [app], 10_000);
  const cpu = lastCpuByProcess(series.data);
  const action = useAction();
  return (
    <>
      {info.data ? <p>Web URL: <a href={info.data.webUrl} rel="noreferrer">{info.data.webUrl}</a> · Release {info.data.app.currentRelease === null ? 'none yet' : `v${info.data.app.currentRelease}`}</p> : null}
      <ErrorBox error={info.error} />
      <MaintenanceToggle app={app} canManage={may('manage')} />
      <Formation app={app} canScale={may('operate')} onScaled={processes.reload} />
      <h2>Processes</h2>
      <ErrorBox error={processes.error ?? action.error} />
      {processes.data === undefined ? <p aria-busy="true">Loading…</p> : processes.data.length === 0 ? <p>No processes.</p> : (
        <div class="table-wrap">
          <table class="processes">
            <caption class="sr-only">Processes of {app}</caption>
            <thead><tr><th scope="col">Process</th><th scope="col">State</th><th scope="col">Uptime</th><th scope="col">Restarts</th><th scope="col">Memory / quota</th><th scope="col">CPU</th>{may('operate') ? <th scope="col">Actions</th> : null}</tr></thead>
            <tbody>
              {processes.data.map((p) => (
                <tr key={p.name} data-process={p.name}>
                  <th scope="row">{p.name}</th>
                  <td><span class={`state state-${p.state}`}>{p.state}</span></td>
                  <td>{p.state === 'up' ? duration(p.startedAt) : '—'}</td>
                  <td>{p.restarts}</td>
                  <td>{mib(p.rssBytes)} / {p.memoryQuotaBytes === null ? 'no quota' : mib(p.memoryQuotaBytes)}</td>
                  <td class="cpu">{shown(cpu.get(p.name) ?? null, '%')}{p.cpuSeconds === null ? '' : ` · ${p.cpuSeconds.toFixed(1)} s total`}</td>
                  {may('operate') ? (
                    <td class="actions">
                      <button type="button" aria-label={`Restart ${p.name}`} disabled={action.busy} onClick={() => void action.run(() => client.call('restartProcesses', { params: { app }, body: { type: p.name } })).then(processes.reload)}>Restart</button>
                      <button type="button" aria-label={`Stop ${p.name}`} disabled={action.busy} onClick={() => void action.run(() => client.call('stopProcess', { params: { app, process: p.name } })).then(processes.reload)}>Stop</button>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <ScorecardPanel app={app} />
    </>
  );
}

function Formation({ app, canScale, onScaled }: { app: string; canScale: boolean; onScaled: () => void }) {
  const { client } = useSession();
  const formation = usePoll(() => client.call('getFormation', { params: { app } }), [app], 5000);
  const types = usePoll(() => client.call('listProcessTypes', { params: { app } }), [app], 10_000);
  const sizeOf = (type: string) => types.data?.find((t) => t.type === type)?.size;
  const [wanted, setWanted] = useState<Record<string, number>>({});
  const [plan, setPlan] = useState<Plan | null>(null);
  const action = useAction();
  const entries = formation.data ?? [];
  const updates = entries.filter((e) => wanted[e.type] !== undefined && wanted[e.type] !== e.quantity).map((e) => ({ type: e.type, quantity: wanted[e.type]! }));
  const step = (type: string, current: number, by: number) => setWanted({ ...wanted, [type]: Math.max(0, Math.min(100, (wanted[type] ?? current) + by)) });
  const review = () => void action.run(async () => setPlan(await client.call('planFormation', { params: { app }, body: { updates } })));
  const apply = () => void action.run(async () => {
    await client.call('updateFormation', { params: { app }, body: { updates } });
    setPlan(null);
    setWanted({});
    formation.reload();
    onScaled();
  });
  return (
    <section aria-labelledby="formation-title">
      <h2 id="formation-title">Formation</h2>
      <ErrorBox error={formation.error ?? action.error} />
      {entries.length === 0 ? <p>No process types yet: deploy the app first.</p> : (
        <ul class="formation">
          {entries.map((e) => {
            const quantity = wanted[e.type] ?? e.quantity;
            return (
              <li key={e.type} data-type={e.type}>
                <span class="type">{e.type}</span> {sizeOf(e.type) ? <span class="badge" aria-label={`size ${sizeOf(e.type)}`}>{sizeOf(e.type)}</span> : null} <code class="command">{e.command}</code>
                {canScale ? (
                  <span class="stepper" role="group" aria-label={`${e.type} processes`}>
                    <button type="button" aria-label={`Fewer ${e.type} processes`} onClick={() => step(e.type, e.quantity, -1)}>−</button>
                    <output aria-live="polite" aria-label={`${e.type} quantity`}>{quantity}</output>
                    <button type="button" aria-label={`More ${e.type} processes`} onClick={() => step(e.type, e.quantity, 1)}>+</button>
                  </span>
                ) : <span class="quantity" aria-label={`${e.type} quantity`}>{e.quantity}</span>}
              </li>
            );
          })}
        </ul>
      )}
      {canScale && updates.length > 0 && plan === null ? <button type="button" class="primary" disabled={action.busy} onClick={review}>Review scaling</button> : null}
      {plan ? (
        <Confirm title={`Scale ${updates.map((u) => `${u.type}=${u.quantity}`).join(', ')}`} busy={action.busy} confirmLabel="Apply scaling" onConfirm={apply} onCancel={() => setPlan(null)}>
          <p>The plan (dry run) for release v{plan.release}:</p>
          <PlanSteps steps={plan.steps} />
        </Confirm>
      ) : null}
    </section>
  );
}
