// Distribution charts: fixed-width or log-spaced bins over raw values, plus empirical quantiles.

export interface Bin {
  /** Inclusive lower and exclusive upper edge. */
  lo: number;
  hi: number;
  count: number;
}

export function quantile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const pos = (sorted.length - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

/** Bins values into `binCount` bins; log-spaced when the data spans more than two decades. */
export function binValues(values: readonly number[], binCount = 30): Bin[] {
  const finite = values.filter((v) => Number.isFinite(v));
  if (finite.length === 0) return [];
  const min = Math.min(...finite);
  const max = Math.max(...finite);
  if (min === max) return [{ lo: min, hi: min, count: finite.length }];
  const log = min > 0 && max / min > 100;
  const f = log ? Math.log10 : (v: number) => v;
  const inv = log ? (v: number) => 10 ** v : (v: number) => v;
  const a = f(min);
  const width = (f(max) - a) / binCount;
  const bins: Bin[] = Array.from({ length: binCount }, (_, i) => ({ lo: inv(a + i * width), hi: inv(a + (i + 1) * width), count: 0 }));
  for (const v of finite) {
    const i = Math.min(binCount - 1, Math.floor((f(v) - a) / width));
    bins[i]!.count++;
  }
  return bins;
}
