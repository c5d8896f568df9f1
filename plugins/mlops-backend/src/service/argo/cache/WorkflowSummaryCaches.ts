import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';
import type { KubernetesCluster } from '@mlstack/plugin-mlops-node';
import {
  canonicalLabelSelector,
  parseLabelSelector,
} from '../../kubernetes/labelSelector';
import { WorkflowSource, kubernetesWorkflowSource } from './WorkflowSource';
import { WorkflowSummaryInformer } from './WorkflowSummaryInformer';

/**
 * The canonical text of a selector (see canonicalLabelSelector), so that the ways of writing
 * one selector share a scope; a selector that does not parse stays as it is (the API server
 * then refuses it).
 */
function scopeSelector(labelSelector: string): string {
  try {
    return canonicalLabelSelector(parseLabelSelector(labelSelector));
  } catch {
    return labelSelector.trim();
  }
}

export interface WorkflowSummaryCachesOptions {
  logger: Pick<LoggerService, 'warn' | 'info'>;
  /** At most this many scopes are cached; the least recently used one is dropped. */
  maxScopes?: number;
  /** A scope without requests for this long is dropped (its watch stopped). */
  idleMs?: number;
  /** How long a request waits for a new scope's first list before it lists directly. */
  readyTimeoutMs?: number;
  /** Builds the source of a scope; tests replace it. */
  sourceFor?: (
    cluster: KubernetesCluster,
    namespace: string,
    labelSelector: string,
  ) => WorkflowSource;
  /** Passed to each informer (backoff); tests shorten them. */
  informer?: { initialBackoffMs?: number; failuresBeforeFallback?: number };
}

interface Entry {
  informer: WorkflowSummaryInformer;
  /** Settles when the first list has: rejects with its error. */
  ready: Promise<void>;
  /** Whether ready has resolved. */
  settled: boolean;
  startedAt: number;
  lastUsed: number;
}

/**
 * Caches of workflow summaries, one per (cluster, namespace, label selector), each kept
 * current by list + watch (see WorkflowSummaryInformer). A selector is keyed by its parsed,
 * canonical form: `a=b,c=d` and `c=d, a=b` are one scope. A scope starts on its first request
 * and stops after `idleMs` without one; at most `maxScopes` are kept. A scope that is dropped
 * (or all of them, on stop) while its first list is under way stops that list: the request in
 * flight is aborted and no further page is read.
 */
export class WorkflowSummaryCaches {
  readonly #entries = new Map<string, Entry>();
  readonly #options: Required<Omit<WorkflowSummaryCachesOptions, 'informer'>> &
    Pick<WorkflowSummaryCachesOptions, 'informer'>;
  #sweeper?: NodeJS.Timeout;

  constructor(options: WorkflowSummaryCachesOptions) {
    this.#options = {
      maxScopes: 50,
      idleMs: 10 * 60_000,
      // Filling a scope reads every workflow in full (about 4 s for 2,000 on the harness):
      // a first request waits this long at most, then pages directly (name order) while the
      // cache fills; later requests get the cache once it is ready.
      readyTimeoutMs: 2_000,
      sourceFor: kubernetesWorkflowSource,
      ...options,
    };
  }

  /** How many scopes are cached. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * The selector's summaries, newest first, or undefined when the cache cannot serve them
   * (first list slower than readyTimeoutMs, watch forbidden or failing): then list directly.
   * Rejects with the first list's error (e.g. NotAllowedError when listing is refused).
   */
  async summaries(
    cluster: KubernetesCluster,
    namespace: string,
    labelSelector: string,
  ): Promise<ArgoWorkflowSummary[] | undefined> {
    const entry = this.#entry(cluster, namespace, labelSelector);
    if (!entry.settled) {
      // Bounded from the scope's start: a hanging first list or watch delays one request only.
      const wait = entry.startedAt + this.#options.readyTimeoutMs - Date.now();
      if (wait <= 0) {
        return undefined;
      }
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<boolean>(resolve => {
        timer = setTimeout(() => resolve(true), wait);
        timer.unref?.();
      });
      try {
        const ready = entry.ready.then(
          () => false,
          (error: Error) => {
            // Dropped while it listed (evicted, idle, stopped): list directly.
            if (error?.name === 'AbortError') return true;
            throw error;
          },
        );
        if (await Promise.race([ready, timedOut])) {
          return undefined;
        }
      } finally {
        clearTimeout(timer);
      }
    }
    return entry.informer.usable ? entry.informer.sorted() : undefined;
  }

  /** Adds a just-created workflow to the cached scopes of those selectors. */
  noteCreated(
    cluster: KubernetesCluster,
    namespace: string,
    labelSelectors: string[],
    summary: ArgoWorkflowSummary,
  ): void {
    for (const selector of labelSelectors) {
      this.#entries
        .get(this.#key(cluster, namespace, selector))
        ?.informer.noteCreated(summary);
    }
  }

  /** Stops every watch. */
  stop(): void {
    for (const key of [...this.#entries.keys()]) this.#drop(key);
  }

  #key(cluster: KubernetesCluster, namespace: string, selector: string) {
    return JSON.stringify([cluster.name, namespace, scopeSelector(selector)]);
  }

  #entry(
    cluster: KubernetesCluster,
    namespace: string,
    labelSelector: string,
  ): Entry {
    const key = this.#key(cluster, namespace, labelSelector);
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key); // re-inserted last: the Map's order is the LRU order
    } else {
      const selector = scopeSelector(labelSelector);
      const informer = new WorkflowSummaryInformer({
        source: this.#options.sourceFor(cluster, namespace, selector),
        description: `cluster '${cluster.name}', namespace '${namespace}', selector '${selector}'`,
        logger: this.#options.logger,
        ...this.#options.informer,
      });
      const ready = informer.start();
      entry = {
        informer,
        ready,
        settled: false,
        startedAt: Date.now(),
        lastUsed: 0,
      };
      const created = entry;
      ready.then(
        () => {
          created.settled = true;
        },
        // A first list that fails drops the scope: the next request tries again.
        () => {
          if (this.#entries.get(key) === created) this.#drop(key);
        },
      );
    }
    entry.lastUsed = Date.now();
    this.#entries.set(key, entry);
    while (this.#entries.size > this.#options.maxScopes) {
      this.#drop(this.#entries.keys().next().value as string);
    }
    this.#startSweeper();
    return entry;
  }

  #drop(key: string): void {
    this.#entries.get(key)?.informer.stop();
    this.#entries.delete(key);
    if (this.#entries.size === 0 && this.#sweeper) {
      clearInterval(this.#sweeper);
      this.#sweeper = undefined;
    }
  }

  #startSweeper(): void {
    if (this.#sweeper) return;
    this.#sweeper = setInterval(() => {
      const oldest = Date.now() - this.#options.idleMs;
      for (const [key, entry] of [...this.#entries]) {
        if (entry.lastUsed <= oldest) this.#drop(key);
      }
    }, Math.max(10, Math.min(this.#options.idleMs / 4, 60_000)));
    this.#sweeper.unref?.();
  }
}
