/**
 * A quantile of the latencies counted in a histogram, the way Prometheus' histogram_quantile
 * estimates it: find the bucket that holds the rank, and interpolate linearly inside it (from 0
 * for the first bucket). Ranks in the overflow bucket (above every bound) answer the highest bound.
 *
 * `bounds` are the buckets' upper bounds in seconds, ascending; `counts` has one more entry than
 * `bounds` (the overflow) and is per bucket, not cumulative. Answers milliseconds, or null when
 * the histogram is empty.
 */
export function latencyQuantileMs(bounds: readonly number[], counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i] as number;
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < bounds.length; i++) {
    const inBucket = counts[i] as number;
    if (inBucket > 0 && below + inBucket >= rank) {
      const lower = i === 0 ? 0 : (bounds[i - 1] as number);
      const upper = bounds[i] as number;
      return round((lower + ((upper - lower) * (rank - below)) / inBucket) * 1000);
    }
    below += inBucket;
  }
  return round((bounds[bounds.length - 1] ?? 0) * 1000);
}

/** Microsecond precision is plenty for a chart and keeps the JSON short. */
function round(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
