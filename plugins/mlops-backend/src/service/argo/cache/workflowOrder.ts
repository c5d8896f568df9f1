import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';

type Ordered = Pick<
  ArgoWorkflowSummary,
  'name' | 'creationTimestamp' | 'startedAt'
>;

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * When a workflow counts as started, for ordering: `status.startedAt` (what the runs table
 * shows), else its creationTimestamp while it has not started. In a live cluster the two are
 * seconds apart; for objects copied or restored into a cluster, only startedAt says when the
 * run happened.
 */
export function orderTime(workflow: Ordered): string {
  return workflow.startedAt ?? workflow.creationTimestamp ?? '';
}

/**
 * Newest first: by orderTime descending (RFC 3339 in UTC compares as text), then by name. A
 * workflow with neither time sorts last.
 */
export function newestFirst(a: Ordered, b: Ordered): number {
  const byTime = compareText(orderTime(b), orderTime(a));
  return byTime !== 0 ? byTime : compareText(a.name, b.name);
}
