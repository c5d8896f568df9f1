import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';

function compareText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

/**
 * Newest first: by creationTimestamp descending (RFC 3339 in UTC compares as text), then by
 * name. A workflow without a creation time sorts last.
 */
export function newestFirst(
  a: Pick<ArgoWorkflowSummary, 'name' | 'creationTimestamp'>,
  b: Pick<ArgoWorkflowSummary, 'name' | 'creationTimestamp'>,
): number {
  const byTime = compareText(
    b.creationTimestamp ?? '',
    a.creationTimestamp ?? '',
  );
  return byTime !== 0 ? byTime : compareText(a.name, b.name);
}
