import {
  ARGO_WORKFLOW_RESOURCE,
  KubernetesCluster,
  parseWorkflowSummary,
  slimWorkflowForList,
  toKubernetesError,
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
  /** Every matching workflow, read in pages; a Backstage error (see toKubernetesError). */
  list(): Promise<SummaryList>;
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
  cluster: KubernetesCluster,
  namespace: string,
  labelSelector: string,
): WorkflowSource {
  const { group, version, plural } = ARGO_WORKFLOW_RESOURCE;
  return {
    async list() {
      const api = cluster.customObjectsApi();
      const items: ArgoWorkflowSummary[] = [];
      let continueToken: string | undefined;
      let resourceVersion = '';
      do {
        let list: {
          items?: unknown[];
          metadata?: { continue?: string; resourceVersion?: string };
        };
        try {
          list = await api.listNamespacedCustomObject({
            group,
            version,
            plural,
            namespace,
            labelSelector,
            limit: LIST_PAGE_SIZE,
            _continue: continueToken,
          });
        } catch (error) {
          throw toKubernetesError(
            error,
            cluster.name,
            `list ${plural} in '${namespace}'`,
          );
        }
        for (const item of list.items ?? []) {
          items.push(summarizeWorkflow(item));
        }
        resourceVersion = list.metadata?.resourceVersion ?? resourceVersion;
        continueToken = list.metadata?.continue || undefined;
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
