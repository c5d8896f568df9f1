import { InputError } from '@backstage/errors';
import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';
import { newestFirst, orderTime } from './workflowOrder';

/** Where the previous page of the cache ended: its last workflow. */
export interface CachedPagePosition {
  /** orderTime of the last workflow of the previous page ('' when it had none). */
  time: string;
  name: string;
}

/**
 * The union of the selectors' summaries, each list newest first, as one list newest first; a
 * workflow in several lists (same uid, else same name) comes once.
 */
export function unionNewestFirst(
  lists: ArgoWorkflowSummary[][],
): ArgoWorkflowSummary[] {
  if (lists.length === 1) return lists[0];
  const seen = new Set<string>();
  const all: ArgoWorkflowSummary[] = [];
  for (const list of lists) {
    for (const item of list) {
      const id = item.uid ?? `name:${item.name}`;
      if (!seen.has(id)) {
        seen.add(id);
        all.push(item);
      }
    }
  }
  return all.sort(newestFirst);
}

/**
 * One page of a list sorted newest first: the `limit` workflows after `after` (from the top
 * without it). Keyed by the last workflow rather than an offset, so a workflow created or
 * deleted between pages neither repeats one nor skips one.
 */
export function pageAfter(
  sorted: ArgoWorkflowSummary[],
  limit: number,
  after?: CachedPagePosition,
): {
  items: ArgoWorkflowSummary[];
  next?: CachedPagePosition;
  remaining: number;
} {
  let start = 0;
  if (after) {
    const cursor = { startedAt: after.time || undefined, name: after.name };
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (newestFirst(sorted[mid], cursor) <= 0) low = mid + 1;
      else high = mid;
    }
    start = low;
  }
  const items = sorted.slice(start, start + limit);
  const remaining = Math.max(0, sorted.length - start - items.length);
  const last = items[items.length - 1];
  return {
    items,
    remaining,
    next:
      remaining > 0 && last
        ? { time: orderTime(last), name: last.name }
        : undefined,
  };
}

/** Whether a continue token was made by the cache (else by the direct, paged list). */
export function isCachedPageToken(token: string): boolean {
  try {
    const decoded = JSON.parse(
      Buffer.from(token, 'base64url').toString('utf8'),
    );
    return typeof decoded === 'object' && decoded !== null && 'n' in decoded;
  } catch {
    return false;
  }
}

export function encodeCachedPageToken(
  fingerprint: string,
  position: CachedPagePosition,
): string {
  return Buffer.from(
    JSON.stringify({ f: fingerprint, t: position.time, n: position.name }),
  ).toString('base64url');
}

/** InputError for a malformed token or one made for other selectors. */
export function decodeCachedPageToken(
  fingerprint: string,
  token: string,
): CachedPagePosition {
  let decoded: { f?: unknown; t?: unknown; n?: unknown } | null;
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (
    typeof decoded !== 'object' ||
    decoded === null ||
    typeof decoded.t !== 'string' ||
    typeof decoded.n !== 'string'
  ) {
    throw new InputError('Invalid continue token: start from the first page');
  }
  if (decoded.f !== fingerprint) {
    throw new InputError(
      "The entity's workflow selector or templates changed since the first page: start again from the first page",
    );
  }
  return { time: decoded.t, name: decoded.n };
}
