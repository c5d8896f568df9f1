// Over 300 lines: an entity's Argo reads (the run list across its selector and templates, one run,
// a step's logs, its templates) share one scope check and the paging of listWorkflows, which is
// most of the file.
import type { Entity } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import type {
  ArgoNodeLogs,
  ArgoWorkflowDetail,
  ArgoWorkflowPage,
  ArgoWorkflowSummary,
  ArgoWorkflowTemplatesResponse,
  ArgoWorkflowTemplateSummary,
} from '@mlstack/plugin-mlops-common';
import {
  ARGO_WORKFLOW_RESOURCE,
  ARGO_WORKFLOW_TEMPLATE_RESOURCE,
  parseWorkflowDetail,
  parseWorkflowSummary,
  parseWorkflowTemplate,
  slimWorkflowForList,
} from '@mlstack/plugin-mlops-node';
import type { ClusterProvider } from '../kubernetes/ClusterProvider';
import {
  EntityKubernetesScope,
  assertObjectName,
  resolveEntityScope,
} from '../kubernetes/entityScope';
import { matchesLabelSelector } from '../kubernetes/labelSelector';
import { labelsOf } from '../kubernetes/objectFields';
import { readContainerLog } from '../kubernetes/podLogs';
import { notInScope, orNotInScope, orUndefinedIfNotFound } from '../notInScope';
import { newestFirst } from './cache/workflowOrder';
import { WorkflowSummaryCaches } from './cache/WorkflowSummaryCaches';
import {
  decodeCachedPageToken,
  encodeCachedPageToken,
  isCachedPageToken,
  pageAfter,
  unionNewestFirst,
} from './cache/cachedPage';
import { summarizeWorkflow } from './cache/WorkflowSource';
import {
  WorkflowListPosition,
  WorkflowSources,
  decodeContinueToken,
  encodeContinueToken,
  fingerprint,
  isWorkflowInScope,
  readWorkflowSources,
} from './workflowScope';

/** At most this many list calls make one page (a page crosses at most one selector boundary). */
const MAX_LIST_CALLS_PER_PAGE = 4;

/** Workflows per page when findWorkflowsByName lists the API server directly. */
const WORKFLOWS_PER_LOOKUP_PAGE = 500;
/**
 * Pages findWorkflowsByName lists before it reads the names still missing one by one: a name
 * whose workflow is gone would otherwise page through the entity's whole history.
 */
const MAX_LOOKUP_PAGES = 2;

/** Node types that run in a pod of their own (Container: a containerSet member's pod). */
const POD_NODE_TYPES = ['Pod', 'Container'];

/** Finds an entity's workflows by name (ArgoEntityService.workflowLookup). */
export interface WorkflowLookup {
  find(names: string[]): Promise<Map<string, ArgoWorkflowSummary>>;
}

/** An entity's workflow, read in its scope. */
export interface ScopedWorkflow {
  scope: EntityKubernetesScope;
  sources: WorkflowSources;
  /** The Workflow as the API server sent it. */
  object: unknown;
}

/**
 * Argo Workflows as one entity sees them: the workflows of its selector and templates, in the
 * namespace and on the cluster its annotations name. Nothing outside that scope is read back.
 */
export class ArgoEntityService {
  /** Without caches, every page is listed from the API server (by name; see listDirectly). */
  constructor(
    private readonly clusters: ClusterProvider,
    private readonly caches?: WorkflowSummaryCaches,
  ) {}

  /** The entity's cluster and namespace, checked to belong to its owner. */
  scopeOf(entity: Entity): Promise<EntityKubernetesScope> {
    return resolveEntityScope(entity, this.clusters);
  }

  /**
   * One page of the entity's workflows, newest first across pages, from the caches of its
   * selectors (the union, each workflow once). When no cache can serve (none configured, the
   * first list is slow, the watch is refused or failing), the page is listed directly.
   */
  async listWorkflows(
    entity: Entity,
    options: { limit: number; continueToken?: string },
  ): Promise<ArgoWorkflowPage> {
    const scope = await this.scopeOf(entity);
    const sources = readWorkflowSources(entity);
    const page: ArgoWorkflowPage = {
      cluster: scope.cluster.name,
      namespace: scope.namespace,
      items: [],
    };
    if (sources.selectors.length === 0) {
      return page;
    }
    const token = options.continueToken;
    const caches = this.caches;
    if (caches && (!token || isCachedPageToken(token))) {
      const key = fingerprint(sources);
      const after = token ? decodeCachedPageToken(key, token) : undefined;
      // The selectors' caches start (and list) side by side on a first request.
      const found = await Promise.all(
        sources.selectors.map(selector =>
          caches.summaries(scope.cluster, scope.namespace, selector.text),
        ),
      );
      const lists = found.filter(
        (list): list is ArgoWorkflowSummary[] => list !== undefined,
      );
      if (lists.length === sources.selectors.length) {
        const { items, next, remaining } = pageAfter(
          unionNewestFirst(lists),
          options.limit,
          after,
        );
        page.items = items;
        if (next) {
          page.continue = encodeCachedPageToken(key, next);
          page.remainingItemCount = remaining;
        }
        return page;
      }
      if (token) {
        throw new InputError(
          'The list of workflows is read differently since the first page (the cache of the watch is not available): start again from the first page',
        );
      }
    }
    return this.listDirectly(scope, sources, page, options);
  }

  /**
   * One page listed from the API server. The selectors are read one after the other (the
   * entity's selector, then the templates' label); a workflow the selector already listed is
   * not listed again under its template. Each item is slimmed before it is parsed. The API
   * server lists by name: the order is newest first within the page only.
   */
  private async listDirectly(
    scope: EntityKubernetesScope,
    sources: WorkflowSources,
    page: ArgoWorkflowPage,
    options: { limit: number; continueToken?: string },
  ): Promise<ArgoWorkflowPage> {
    let position: WorkflowListPosition | undefined = options.continueToken
      ? decodeContinueToken(sources, options.continueToken)
      : { selector: 0 };
    let remainingItemCount: number | undefined;
    for (let calls = 0; position && calls < MAX_LIST_CALLS_PER_PAGE; calls++) {
      const wanted = options.limit - page.items.length;
      if (wanted <= 0) {
        break;
      }
      const index: number = position.selector;
      const listed = await scope.cluster.listCustomObjects(
        ARGO_WORKFLOW_RESOURCE,
        scope.namespace,
        {
          labelSelector: sources.selectors[index].text,
          limit: wanted,
          continueToken: position.continueToken,
        },
      );
      const earlier = sources.selectors.slice(0, index);
      for (const item of listed.items) {
        const labels = labelsOf(item);
        if (!earlier.some(s => matchesLabelSelector(s.requirements, labels))) {
          page.items.push(parseWorkflowSummary(slimWorkflowForList(item)));
        }
      }
      if (listed.continueToken) {
        position = { selector: index, continueToken: listed.continueToken };
        remainingItemCount =
          index === sources.selectors.length - 1
            ? listed.remainingItemCount
            : undefined;
      } else {
        position =
          index + 1 < sources.selectors.length
            ? { selector: index + 1 }
            : undefined;
        remainingItemCount = undefined;
      }
    }
    page.items.sort(newestFirst);
    if (position) {
      page.continue = encodeContinueToken(sources, position);
      if (remainingItemCount !== undefined) {
        page.remainingItemCount = remainingItemCount;
      }
    }
    return page;
  }

  /** Puts a workflow the backend just created into the cached scopes it belongs to. */
  noteCreated(
    scope: EntityKubernetesScope,
    sources: WorkflowSources,
    object: unknown,
  ) {
    if (!this.caches) return;
    const labels = labelsOf(object);
    const selectors = sources.selectors
      .filter(s => matchesLabelSelector(s.requirements, labels))
      .map(s => s.text);
    if (selectors.length > 0) {
      this.caches.noteCreated(
        scope.cluster,
        scope.namespace,
        selectors,
        summarizeWorkflow(object),
      );
    }
  }

  /**
   * The entity's workflows of these names, as their list summaries: name → workflow. A name
   * not among the entity's workflows (garbage-collected, another team's) is not in the map.
   * One read of the entity's list instead of a `get` per name: served by the watch caches when
   * they can (no API call), else listed directly, WORKFLOWS_PER_LOOKUP_PAGE a page, stopping
   * once every name is found.
   */
  findWorkflowsByName(
    entity: Entity,
    names: string[],
  ): Promise<Map<string, ArgoWorkflowSummary>> {
    return this.workflowLookup(entity).find(names);
  }

  /**
   * A findWorkflowsByName whose first page is read now, before the names are known (the
   * lineage learns them from MLflow meanwhile). Its failure is the failure of `find`.
   */
  workflowLookup(entity: Entity): WorkflowLookup {
    const firstPage = this.listWorkflows(entity, {
      limit: WORKFLOWS_PER_LOOKUP_PAGE,
    });
    // Read by `find`, which rejects with it; not left unhandled if `find` is never called.
    firstPage.catch(() => undefined);
    return {
      find: async names => {
        const wanted = new Set(names);
        const found = new Map<string, ArgoWorkflowSummary>();
        let page = await firstPage;
        for (let pages = 1; ; pages++) {
          for (const workflow of page.items) {
            if (wanted.has(workflow.name)) {
              found.set(workflow.name, workflow);
            }
          }
          if (!page.continue || found.size === wanted.size) {
            return found;
          }
          if (pages >= MAX_LOOKUP_PAGES) {
            break;
          }
          page = await this.listWorkflows(entity, {
            limit: WORKFLOWS_PER_LOOKUP_PAGE,
            continueToken: page.continue,
          });
        }
        // Older than the pages listed: each remaining name read (and scoped) by itself.
        const missing = names.filter(name => !found.has(name));
        const read = await Promise.all(
          missing.map(name =>
            orUndefinedIfNotFound(this.getWorkflow(entity, name)),
          ),
        );
        missing.forEach((name, i) => {
          const detail = read[i];
          if (detail) found.set(name, detail);
        });
        return found;
      },
    };
  }

  /** Reads a workflow; NotFoundError when it does not exist or is not the entity's. */
  async loadWorkflow(entity: Entity, name: string): Promise<ScopedWorkflow> {
    const scope = await this.scopeOf(entity);
    const sources = readWorkflowSources(entity);
    assertObjectName(name, 'workflow');
    const notFound = () => notInScope.workflow(name, scope.entityRef);
    const object = await orNotInScope(
      scope.cluster.getCustomObject(
        ARGO_WORKFLOW_RESOURCE,
        scope.namespace,
        name,
      ),
      notFound,
    );
    if (!isWorkflowInScope(sources, labelsOf(object))) {
      throw notFound();
    }
    return { scope, sources, object };
  }

  async getWorkflow(entity: Entity, name: string): Promise<ArgoWorkflowDetail> {
    return parseWorkflowDetail((await this.loadWorkflow(entity, name)).object);
  }

  /**
   * The log of a node's pod container (`main` unless asked otherwise; a containerSet member's
   * own container). When there is no pod to read, `available` is false and `reason` says why.
   */
  async getNodeLogs(
    entity: Entity,
    name: string,
    nodeId: string,
    options: { container?: string; tailLines: number },
  ): Promise<ArgoNodeLogs> {
    const { scope, object } = await this.loadWorkflow(entity, name);
    const detail = parseWorkflowDetail(object);
    const node = detail.nodes.find(n => n.id === nodeId);
    if (!node) {
      throw new NotFoundError(`Workflow '${name}' has no node '${nodeId}'`);
    }
    const container =
      options.container ??
      (node.type === 'Container' ? node.displayName : 'main');
    const base = { workflow: name, nodeId, container };
    if (!POD_NODE_TYPES.includes(node.type) || !node.podName) {
      return {
        ...base,
        available: false,
        reason: `Step '${node.displayName}' is a ${node.type} node: it runs no pod of its own, so it has no logs`,
        text: '',
      };
    }
    const log = await readContainerLog(scope, node.podName, container, {
      tailLines: options.tailLines,
      notStartedYet: node.phase === 'Pending',
    });
    return { ...base, podName: node.podName, ...log };
  }

  /** The entity's templates, and the annotated names the namespace lacks. */
  async getTemplates(entity: Entity): Promise<ArgoWorkflowTemplatesResponse> {
    const scope = await this.scopeOf(entity);
    const { templates: names } = readWorkflowSources(entity);
    const found = await Promise.all(
      names.map(name => this.readTemplate(scope, name)),
    );
    return {
      cluster: scope.cluster.name,
      namespace: scope.namespace,
      templates: found.filter(
        (t): t is ArgoWorkflowTemplateSummary => t !== undefined,
      ),
      missingTemplates: names.filter((_, i) => !found[i]),
    };
  }

  private async readTemplate(
    scope: EntityKubernetesScope,
    name: string,
  ): Promise<ArgoWorkflowTemplateSummary | undefined> {
    const template = await orUndefinedIfNotFound(
      scope.cluster.getCustomObject(
        ARGO_WORKFLOW_TEMPLATE_RESOURCE,
        scope.namespace,
        name,
      ),
    );
    return template === undefined ? undefined : parseWorkflowTemplate(template);
  }
}
