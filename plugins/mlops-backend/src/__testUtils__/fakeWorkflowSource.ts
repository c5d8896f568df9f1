import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';
import type {
  SummaryList,
  WorkflowSource,
} from '../service/argo/cache/WorkflowSource';
import type { WatchHandlers } from '../service/argo/cache/watchStream';

/** A Workflow object as the API server sends it, enough for a summary. */
export function workflowObject(
  name: string,
  creationTimestamp: string,
  labels: Record<string, string> = {},
  resourceVersion = '1',
) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: {
      name,
      namespace: 'ns',
      uid: `uid-${name}`,
      creationTimestamp,
      resourceVersion,
      labels,
    },
    spec: {},
    status: { phase: 'Succeeded' },
  };
}

export function summary(
  name: string,
  creationTimestamp: string,
): ArgoWorkflowSummary {
  return {
    name,
    namespace: 'ns',
    uid: `uid-${name}`,
    creationTimestamp,
    phase: 'Succeeded',
    parameters: {},
    suspended: false,
  } as ArgoWorkflowSummary;
}

/** A source driven by the test: it answers lists and records the watches opened. */
export class FakeWorkflowSource implements WorkflowSource {
  lists = 0;
  /** The signal of each list call, in order. */
  readonly listSignals: Array<AbortSignal | undefined> = [];
  listResult: (signal?: AbortSignal) => Promise<SummaryList> = async () => ({
    items: [],
    resourceVersion: '1',
  });
  readonly watches: Array<{
    resourceVersion: string;
    handlers: WatchHandlers;
    stopped: boolean;
  }> = [];

  list(signal?: AbortSignal): Promise<SummaryList> {
    this.lists++;
    this.listSignals.push(signal);
    return this.listResult(signal);
  }

  /**
   * Makes each list read `pages` pages, one per `nextPage()` of the test, as the Kubernetes
   * source does: it stops (rejecting with the signal's reason) when its signal fires, and
   * reads no further page then. `pagesRead` counts the pages read.
   */
  pagedList(pages: number): { nextPage(): void; pagesRead(): number } {
    let read = 0;
    const waiting: Array<() => void> = [];
    this.listResult = async signal => {
      for (let page = 0; page < pages; page++) {
        signal?.throwIfAborted();
        await new Promise<void>((resolve, reject) => {
          waiting.push(resolve);
          signal?.addEventListener('abort', () => reject(signal.reason), {
            once: true,
          });
        });
        read++;
      }
      return { items: [], resourceVersion: '1' };
    };
    return {
      nextPage: () => waiting.shift()?.(),
      pagesRead: () => read,
    };
  }

  /** What a new watch does at once: open (the default), or end with this error. */
  onWatch: (handlers: WatchHandlers) => void = handlers => handlers.onOpen?.();

  watch(resourceVersion: string, handlers: WatchHandlers) {
    const watch = { resourceVersion, handlers, stopped: false };
    this.watches.push(watch);
    void Promise.resolve().then(() => this.onWatch(handlers));
    return {
      stop: () => {
        watch.stopped = true;
      },
    };
  }

  /** The watch opened last. */
  get current() {
    return this.watches[this.watches.length - 1];
  }
}
