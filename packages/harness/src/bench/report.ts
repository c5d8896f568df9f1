/** Table lines the call-counting benches (deploy preview, lineage) print alike. */
import { fixed7, type Percentiles } from './measure';

/** Each upstream path with its count in the cold and in the warm request. */
export function printCallsByPath(
  cold: Record<string, number>,
  warm: Record<string, number>,
): void {
  for (const path of new Set([...Object.keys(cold), ...Object.keys(warm)])) {
    console.log(
      `    ${String(cold[path] ?? 0).padStart(2)} cold ${String(
        warm[path] ?? 0,
      ).padStart(2)} warm  ${path}`,
    );
  }
}

/** The heading and the p50 / p95 of each direct call. */
export function printDirectCalls(
  iterations: number,
  warmupIterations: number,
  directCalls: Record<string, Percentiles>,
): void {
  console.log(
    `  direct calls, ${iterations} iterations after ${warmupIterations} warm-up:   p50 ms   p95 ms`,
  );
  for (const [name, s] of Object.entries(directCalls)) {
    console.log(`    ${name.padEnd(46)}${fixed7(s.p50)}  ${fixed7(s.p95)}`);
  }
}
