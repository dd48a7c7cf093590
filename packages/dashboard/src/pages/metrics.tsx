import type { ComponentChildren } from 'preact';
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import type { AppMetrics } from '@dozen/contracts';
import { toShownError, type ShownError } from '../api.js';
import type { ChartSpec, MountedChart } from '../chart.js';
import { ErrorBox } from '../components.js';
import { cpuPercents, divided, lastValue, latencies, memoryMiB, PERCENTILES, RANGES, requestRates, restartCounts, shown, STATUS_CLASSES, total, type RangeId } from '../metric-series.js';
import { useSession } from '../session.js';
import { usePoll } from '../use-poll.js';

const REFRESH_MS = 5000;
const STATUS_COLORS: Record<string, string> = { '1xx': '#6b7280', '2xx': '#1e7b34', '3xx': '#3550d1', '4xx': '#c2410c', '5xx': '#b3261e' };

interface Row {
  key: string;
  cells: string[];
}

/** A chart's text: what a screen reader reads instead of the canvas, and anyone can read at a glance. */
function Summary({ caption, headers, rows }: { caption: string; headers: string[]; rows: Row[] }) {
  return (
    <div class="table-wrap">
      <table class="summary">
        <caption>{caption}</caption>
        <thead><tr>{headers.map((h) => <th key={h} scope="col">{h}</th>)}</tr></thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.key} data-series={r.key}>
              <th scope="row">{r.cells[0]}</th>
              {r.cells.slice(1).map((c, i) => <td key={i}>{c}</td>)}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** One uPlot chart (its code loads with the first chart), labelled for screen readers, then its summary. */
function Chart({ id, title, spec, children }: { id: string; title: string; spec: ChartSpec; children: ComponentChildren }) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<MountedChart | null>(null);
  const latest = useRef(spec);
  latest.current = spec;
  const [error, setError] = useState<ShownError | null>(null);
  useEffect(() => {
    let live = true;
    import('../chart.js').then(({ mountChart }) => {
      if (live && box.current) chart.current = mountChart(box.current, latest.current);
    }, (failure: unknown) => setError(toShownError(failure)));
    return () => {
      live = false;
      chart.current?.destroy();
      chart.current = null;
    };
  }, []);
  useEffect(() => chart.current?.update(spec), [spec]);
  return (
    <section class="metric" aria-labelledby={`${id}-title`}>
      <h3 id={`${id}-title`}>{title}</h3>
      <ErrorBox error={error} />
      <div class="chart" ref={box} role="img" aria-label={`Chart: ${title}; its values are in the table below`} data-chart={id} />
      {children}
    </section>
  );
}

function specs(m: AppMetrics): Record<'requests' | 'latency' | 'memory' | 'cpu' | 'restarts', ChartSpec> {
  const end = (m.times.at(-1) ?? Date.now() / 1000) + m.stepSeconds;
  const deploys = m.deploys.map((d) => ({ version: d.version, time: Date.parse(d.createdAt) / 1000, description: d.description }));
  const common = { end, deploys };
  return {
    requests: { ...common, data: requestRates(m), unit: 'req/s', colors: STATUS_COLORS },
    latency: { ...common, data: latencies(m), unit: 'ms' },
    memory: { ...common, data: memoryMiB(m), unit: 'MiB' },
    cpu: { ...common, data: cpuPercents(m), unit: '%' },
    restarts: { ...common, data: restartCounts(m), unit: '', bars: true },
  };
}

/** Requests by status class, latency percentiles, memory, CPU and restarts per process, deploy markers: 1 h, 6 h or 24 h, live. */
export function Metrics({ app }: { app: string }) {
  const { client } = useSession();
  const [rangeId, setRangeId] = useState<RangeId>('1h');
  const range = RANGES.find((r) => r.id === rangeId)!;
  const metrics = usePoll(() => client.call('appMetrics', { params: { app }, query: { since: range.since, step: range.step } }), [app, rangeId], REFRESH_MS);
  const m = metrics.data;
  const charts = useMemo(() => (m ? specs(m) : null), [m]);
  return (
    <>
      <h2>Metrics</h2>
      <div class="actions" role="group" aria-label="Time range">
        {RANGES.map((r) => <button key={r.id} type="button" aria-pressed={r.id === rangeId} onClick={() => setRangeId(r.id)}>Last {r.label}</button>)}
      </div>
      <ErrorBox error={metrics.error} />
      {!m || !charts ? <p aria-busy="true">Loading…</p> : (
        <>
          <p class="when">One point per {m.stepSeconds} s, the last one in progress; refreshed every {REFRESH_MS / 1000} s.</p>
          <Chart id="requests" title={`Requests per second by status class, last ${range.label}`} spec={charts.requests}>
            <Summary caption="Requests by status class" headers={['Class', 'Requests in range', 'Last req/s']} rows={STATUS_CLASSES.map((cls) => ({ key: cls, cells: [cls, String(total(m.status[cls])), shown(divided(lastValue(m.status[cls]), m.stepSeconds))] }))} />
          </Chart>
          <Chart id="latency" title={`Latency p50, p95, p99 (ms), last ${range.label}`} spec={charts.latency}>
            <Summary caption="Latest latency" headers={['Percentile', 'Last ms']} rows={PERCENTILES.map((p) => ({ key: p, cells: [p, shown(lastValue(m.latencyMs[p]))] }))} />
          </Chart>
          <Chart id="memory" title={`Memory per process (MiB), last ${range.label}`} spec={charts.memory}>
            <Summary caption="Latest memory" headers={['Process', 'Last MiB']} rows={m.processes.map((p) => ({ key: p.name, cells: [p.name, shown(divided(lastValue(p.memoryBytes), 1048576))] }))} />
          </Chart>
          <Chart id="cpu" title={`CPU per process (% of one core), last ${range.label}`} spec={charts.cpu}>
            <Summary caption="Latest CPU" headers={['Process', 'Last %']} rows={m.processes.map((p) => ({ key: p.name, cells: [p.name, shown(lastValue(p.cpuPercent))] }))} />
          </Chart>
          <Chart id="restarts" title={`Restarts per process, last ${range.label}`} spec={charts.restarts}>
            <Summary caption="Restarts" headers={['Process', 'Restarts in range']} rows={m.processes.map((p) => ({ key: p.name, cells: [p.name, String(total(p.restarts))] }))} />
          </Chart>
          <h3>Deploys in range</h3>
          {m.deploys.length === 0 ? <p>No release in this range.</p> : (
            <ul class="deploys">
              {m.deploys.map((d) => <li key={d.version} data-deploy={d.version}><strong>v{d.version}</strong> <span class="when">{new Date(d.createdAt).toLocaleString()}</span> {d.description}</li>)}
            </ul>
          )}
        </>
      )}
    </>
  );
}
