import {
  ARGO_WORKFLOW_RESOURCE,
  KubernetesCluster,
  parseWorkflowSummary,
  slimWorkflowForList,
} from '@mlstack/plugin-mlops-node';
import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';
import { WatchHandle, WatchHandlers, openWatch } from './watchStream';

/** A full list of one selector: the summaries, and the resourceVersion to watch from. */
export interface SummaryList {
  items: ArgoWorkflowSummary[];
  resourceVersion: string;
}

/** Where a cache reads its workflows from: a list, then a watch from its resourceVersion. */
export interface WorkflowSource {
  /**
   * Every matching workflow, read in pages; a Backstage error (see toKubernetesError). When
   * `signal` fires, the request in flight is aborted, no further page is read, and the
   * promise rejects with the signal's reason.
   */
  list(signal?: AbortSignal): Promise<SummaryList>;
  watch(resourceVersion: string, handlers: WatchHandlers): WatchHandle;
}

/** Objects read per list call of the initial list. */
const LIST_PAGE_SIZE = 500;
/** The API server ends a watch after about this long; the cache then watches again. */
const WATCH_TIMEOUT_SECONDS = 300;

export function summarizeWorkflow(object: unknown): ArgoWorkflowSummary {
  return parseWorkflowSummary(slimWorkflowForList(object));
}

/** The workflows of one label selector in one namespace of a cluster. */
export function kubernetesWorkflowSource(
  cluster: Pick<
    KubernetesCluster,
    'name' | 'kubeConfig' | 'requestTimeoutMs' | 'listCustomObjects'
  >,
  namespace: string,
  labelSelector: string,
): WorkflowSource {
  const { group, version, plural } = ARGO_WORKFLOW_RESOURCE;
  return {
    async list(signal) {
      const items: ArgoWorkflowSummary[] = [];
      let continueToken: string | undefined;
      let resourceVersion = '';
      do {
        signal?.throwIfAborted();
        const page = await cluster.listCustomObjects(
          ARGO_WORKFLOW_RESOURCE,
          namespace,
          { labelSelector, limit: LIST_PAGE_SIZE, continueToken, signal },
        );
        signal?.throwIfAborted();
        for (const item of page.items) {
          items.push(summarizeWorkflow(item));
        }
        resourceVersion = page.resourceVersion ?? resourceVersion;
        continueToken = page.continueToken;
      } while (continueToken);
      return { items, resourceVersion };
    },
    watch(resourceVersion, handlers) {
      return openWatch(
        cluster,
        `/apis/${group}/${version}/namespaces/${encodeURIComponent(
          namespace,
        )}/${plural}`,
        {
          labelSelector,
          resourceVersion,
          allowWatchBookmarks: true,
          timeoutSeconds: WATCH_TIMEOUT_SECONDS,
        },
        handlers,
        (WATCH_TIMEOUT_SECONDS + 60) * 1000,
      );
    },
  };
}
