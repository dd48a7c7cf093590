import type { MetricFamily } from '../shared-ports/metrics.js';

/** Prometheus text exposition format 0.0.4: HELP, TYPE, then one line per sample. */
export function renderPrometheus(families: MetricFamily[]): string {
  let out = '';
  for (const family of families) {
    out += `# HELP ${family.name} ${family.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of family.samples) out += `${family.name}${sample.suffix ?? ''}${labels(sample.labels)} ${number(sample.value)}\n`;
  }
  return out;
}

function labels(values: Record<string, string>): string {
  const entries = Object.entries(values);
  if (entries.length === 0) return '';
  return `{${entries.map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`).join(',')}}`;
}

function number(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf';
  return String(value);
}
