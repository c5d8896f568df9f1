/** Timing and summary statistics of the benches. */

/** How long `fn` took (ms, monotonic clock), and what it returned. */
export async function timed<T>(
  fn: () => Promise<T>,
): Promise<{ ms: number; result: T }> {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

/** The q-quantile of `xs` (nearest rank, from below). */
export function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}

export interface Percentiles {
  p50: number;
  p95: number;
}

export function percentiles(xs: number[]): Percentiles {
  return { p50: quantile(xs, 0.5), p95: quantile(xs, 0.95) };
}

/** How many times each value occurs. */
export function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[v] = (counts[v] ?? 0) + 1;
  return counts;
}

/** A figure as the bench tables print it: one decimal, right-aligned in 7. */
export const fixed7 = (x: number) => x.toFixed(1).padStart(7);
