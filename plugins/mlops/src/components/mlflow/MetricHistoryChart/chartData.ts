import type { MlflowMetricHistory } from '@mlstack/plugin-mlops-common';

export type ChartRow = { step: number } & Record<string, number>;

/**
 * Merges metric histories of several runs into rows keyed by step, one column per
 * run id, as recharts wants them. When a run logged a step several times the last
 * value wins.
 */
export function mergeHistories(histories: MlflowMetricHistory[]): ChartRow[] {
  const byStep = new Map<number, ChartRow>();
  for (const history of histories) {
    const points = [...history.points].sort(
      (a, b) => a.step - b.step || a.timestamp - b.timestamp,
    );
    for (const point of points) {
      const row = byStep.get(point.step) ?? ({ step: point.step } as ChartRow);
      row[history.runId] = point.value;
      byStep.set(point.step, row);
    }
  }
  return Array.from(byStep.values()).sort((a, b) => a.step - b.step);
}
