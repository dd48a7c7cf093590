import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import type { ChartData } from './metric-series.js';

// The Metrics page's charts (uPlot on a canvas). Loaded on demand by that page only, so the other
// pages do not download it. uPlot sizes and places its elements through the CSSOM
// (`element.style.x = ...`), which the API's CSP (`style-src 'self'`) allows; its CSS comes from
// the bundle. Deploy markers are elements over the plot, so they can be named and found.

export interface DeployMark {
  version: number;
  time: number;
  description: string;
}

export interface ChartSpec {
  data: ChartData;
  unit: string;
  /** the x axis ends here (seconds): the end of the step in progress */
  end: number;
  deploys: DeployMark[];
  colors?: Record<string, string>;
  bars?: boolean;
}

export interface MountedChart {
  update(spec: ChartSpec): void;
  destroy(): void;
}

const PALETTE = ['#3550d1', '#1e7b34', '#c2410c', '#7b3fb3', '#00838f', '#b3261e', '#6b7280', '#a16207'];
const HEIGHT = 220;

function cssVar(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

function toAligned(data: ChartData): uPlot.AlignedData {
  return [data.times, ...data.series.map((s) => s.values)] as uPlot.AlignedData;
}

/** The deploy markers, redrawn with the plot: a labelled vertical line per release in the range. */
function drawDeploys(u: uPlot, deploys: DeployMark[]): void {
  for (const old of u.over.querySelectorAll('.deploy-marker')) old.remove();
  const min = u.scales.x?.min ?? 0;
  const max = u.scales.x?.max ?? 0;
  for (const d of deploys) {
    if (d.time < min || d.time > max) continue;
    const mark = document.createElement('div');
    mark.className = 'deploy-marker';
    mark.dataset.version = String(d.version);
    mark.title = `v${d.version}: ${d.description}`;
    mark.style.left = `${u.valToPos(d.time, 'x')}px`;
    const label = document.createElement('span');
    label.textContent = `v${d.version}`;
    mark.append(label);
    u.over.append(mark);
  }
}

function options(spec: ChartSpec, width: number, state: { spec: ChartSpec }): uPlot.Options {
  const axis = { stroke: cssVar('--muted', '#5b6475'), grid: { stroke: cssVar('--line', '#d8dde6'), width: 1 }, ticks: { stroke: cssVar('--line', '#d8dde6'), width: 1 } };
  const bars = spec.bars ? uPlot.paths.bars?.({ size: [0.8, 12] }) : undefined;
  return {
    width,
    height: HEIGHT,
    scales: { x: { time: true, range: (_u, min) => [min, Math.max(min + 1, state.spec.end)] }, y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] } },
    axes: [axis, { ...axis, size: 56, values: (_u, ticks) => ticks.map((t) => `${+t.toFixed(2)}${spec.unit === '%' ? '%' : ''}`) }],
    series: [
      {},
      ...spec.data.series.map((s, i) => {
        const color = spec.colors?.[s.label] ?? PALETTE[i % PALETTE.length]!;
        return { label: s.label, stroke: color, fill: bars ? color : undefined, width: 2, spanGaps: false, paths: bars, points: { show: false }, value: (_u: uPlot, v: number | null) => (v === null ? '—' : `${+v.toFixed(2)} ${spec.unit}`) };
      }),
    ],
    cursor: { drag: { x: false, y: false } },
    hooks: { draw: [(u) => drawDeploys(u, state.spec.deploys)] },
  };
}

/** A chart in `box`, as wide as the box (it follows resizes); update() redraws with new data. */
export function mountChart(box: HTMLElement, first: ChartSpec): MountedChart {
  const state = { spec: first };
  const shape = (spec: ChartSpec) => spec.data.series.map((s) => s.label).join(',');
  const width = () => Math.max(200, box.clientWidth);
  let plot = new uPlot(options(first, width(), state), toAligned(first.data), box);
  const resize = new ResizeObserver(() => plot.setSize({ width: width(), height: HEIGHT }));
  resize.observe(box);
  return {
    update(spec) {
      const reshaped = shape(spec) !== shape(state.spec);
      state.spec = spec;
      if (reshaped) {
        plot.destroy();
        plot = new uPlot(options(spec, width(), state), toAligned(spec.data), box);
      } else plot.setData(toAligned(spec.data));
    },
    destroy() {
      resize.disconnect();
      plot.destroy();
    },
  };
}
