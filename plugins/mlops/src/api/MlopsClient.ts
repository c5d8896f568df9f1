// Over 300 lines: the frontend's one client of /api/mlops, a short method per backend route
// (the route tables in @mlstack/plugin-mlops-common), sharing one fetch and error path.
import { parseEntityRef } from '@backstage/catalog-model';
import type { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ArgoNodeLogs,
  ArgoSubmitRequest,
  ArgoWorkflowDetail,
  ArgoWorkflowPage,
  ArgoWorkflowSummary,
  ArgoWorkflowTemplatesResponse,
  DeployPreview,
  DeployRequest,
  DeployTargetsResponse,
  InferenceServiceEvents,
  InferenceServiceLogs,
  InferenceServicesResponse,
  LineageResponse,
  MlflowArtifactPage,
  MlflowExperimentsResponse,
  MlflowLoggedModelsResponse,
  MlflowMetricHistory,
  MlflowModelsResponse,
  MlflowRunDetail,
  MlflowRunPage,
  RolloutRequest,
  RolloutResult,
} from '@mlstack/plugin-mlops-common';
import type {
  GetArgoNodeLogsOptions,
  GetLineageOptions,
  GetInferenceServiceLogsOptions,
  GetMlflowLoggedModelsOptions,
  InferenceServiceAction,
  ListArgoWorkflowsOptions,
  ListMlflowArtifactsOptions,
  MlopsApi,
  MlopsEntityRef,
  SearchMlflowRunsOptions,
} from './MlopsApi';

type QueryValue = string | number | undefined | Array<string | undefined>;

/** The backend area a route belongs to: `/entities/:kind/:namespace/:name/<area>/…`. */
type Area = 'mlflow' | 'argo' | 'kserve' | 'lineage';

interface RequestOptions {
  query?: Record<string, QueryValue>;
  /** Sent as a JSON body; a GET without it. */
  body?: unknown;
  /** The method of a request with a body; POST unless told. */
  method?: 'POST' | 'DELETE';
}

/**
 * Talks to the MLStack backend (`discoveryApi.getBaseUrl('mlops')`).
 *
 * @public
 */
export class MlopsClient implements MlopsApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  getMlflowExperiments(
    entityRef: MlopsEntityRef,
  ): Promise<MlflowExperimentsResponse> {
    return this.get(entityRef, 'mlflow', ['experiments']);
  }

  searchMlflowRuns(
    entityRef: MlopsEntityRef,
    options: SearchMlflowRunsOptions = {},
  ): Promise<MlflowRunPage> {
    return this.get(entityRef, 'mlflow', ['runs'], {
      experimentId: options.experimentIds,
      filter: options.filter?.trim() || undefined,
      orderBy: options.orderBy,
      pageToken: options.pageToken,
      maxResults: options.maxResults,
    });
  }

  getMlflowRun(
    entityRef: MlopsEntityRef,
    runId: string,
  ): Promise<MlflowRunDetail> {
    return this.get(entityRef, 'mlflow', ['runs', runId]);
  }

  getMlflowMetricHistory(
    entityRef: MlopsEntityRef,
    runId: string,
    key: string,
  ): Promise<MlflowMetricHistory> {
    return this.get(entityRef, 'mlflow', ['runs', runId, 'metrics', key]);
  }

  listMlflowArtifacts(
    entityRef: MlopsEntityRef,
    runId: string,
    options: ListMlflowArtifactsOptions = {},
  ): Promise<MlflowArtifactPage> {
    return this.get(entityRef, 'mlflow', ['runs', runId, 'artifacts'], {
      path: options.path || undefined,
      pageToken: options.pageToken,
    });
  }

  getMlflowModels(entityRef: MlopsEntityRef): Promise<MlflowModelsResponse> {
    return this.get(entityRef, 'mlflow', ['models']);
  }

  getMlflowLoggedModels(
    entityRef: MlopsEntityRef,
    options: GetMlflowLoggedModelsOptions = {},
  ): Promise<MlflowLoggedModelsResponse> {
    return this.get(entityRef, 'mlflow', ['logged-models'], {
      experimentId: options.experimentIds,
      pageToken: options.pageToken,
    });
  }

  listArgoWorkflows(
    entityRef: MlopsEntityRef,
    options: ListArgoWorkflowsOptions = {},
  ): Promise<ArgoWorkflowPage> {
    return this.get(entityRef, 'argo', ['workflows'], {
      limit: options.limit,
      continue: options.continue,
    });
  }

  getArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowDetail> {
    return this.get(entityRef, 'argo', ['workflows', workflow]);
  }

  getArgoNodeLogs(
    entityRef: MlopsEntityRef,
    workflow: string,
    nodeId: string,
    options: GetArgoNodeLogsOptions = {},
  ): Promise<ArgoNodeLogs> {
    return this.get(
      entityRef,
      'argo',
      ['workflows', workflow, 'nodes', nodeId, 'logs'],
      { container: options.container, tailLines: options.tailLines },
    );
  }

  getArgoWorkflowTemplates(
    entityRef: MlopsEntityRef,
  ): Promise<ArgoWorkflowTemplatesResponse> {
    return this.get(entityRef, 'argo', ['workflow-templates']);
  }

  submitArgoWorkflow(
    entityRef: MlopsEntityRef,
    template: string,
    request: ArgoSubmitRequest = {},
  ): Promise<ArgoWorkflowSummary> {
    return this.request(
      entityRef,
      'argo',
      ['workflow-templates', template, 'submit'],
      { body: request },
    );
  }

  resubmitArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary> {
    return this.workflowAction(entityRef, workflow, 'resubmit');
  }

  retryArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary> {
    return this.workflowAction(entityRef, workflow, 'retry');
  }

  stopArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary> {
    return this.workflowAction(entityRef, workflow, 'stop');
  }

  terminateArgoWorkflow(
    entityRef: MlopsEntityRef,
    workflow: string,
  ): Promise<ArgoWorkflowSummary> {
    return this.workflowAction(entityRef, workflow, 'terminate');
  }

  getLineage(
    entityRef: MlopsEntityRef,
    options: GetLineageOptions = {},
  ): Promise<LineageResponse> {
    return this.get(entityRef, 'lineage', [], {
      model: options.model,
      version: options.version,
      alias: options.alias,
    });
  }

  getInferenceServices(
    entityRef: MlopsEntityRef,
  ): Promise<InferenceServicesResponse> {
    return this.get(entityRef, 'kserve', ['inference-services']);
  }

  getInferenceServiceLogs(
    entityRef: MlopsEntityRef,
    service: string,
    options: GetInferenceServiceLogsOptions = {},
  ): Promise<InferenceServiceLogs> {
    return this.get(
      entityRef,
      'kserve',
      ['inference-services', service, 'logs'],
      { component: options.component, tailLines: options.tailLines },
    );
  }

  getInferenceServiceEvents(
    entityRef: MlopsEntityRef,
    service: string,
  ): Promise<InferenceServiceEvents> {
    return this.get(entityRef, 'kserve', [
      'inference-services',
      service,
      'events',
    ]);
  }

  getDeployTargets(entityRef: MlopsEntityRef): Promise<DeployTargetsResponse> {
    return this.get(entityRef, 'kserve', ['deploy', 'targets']);
  }

  previewDeploy(
    entityRef: MlopsEntityRef,
    request: DeployRequest,
  ): Promise<DeployPreview> {
    return this.request(entityRef, 'kserve', ['deploy', 'preview'], {
      body: request,
    });
  }

  deployModel(
    entityRef: MlopsEntityRef,
    request: DeployRequest,
  ): Promise<RolloutResult> {
    return this.request(entityRef, 'kserve', ['deploy'], { body: request });
  }

  promoteInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request: RolloutRequest = {},
  ): Promise<RolloutResult> {
    return this.serviceAction(entityRef, service, 'promote', request);
  }

  rollbackInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request: RolloutRequest = {},
  ): Promise<RolloutResult> {
    return this.serviceAction(entityRef, service, 'rollback', request);
  }

  stopInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request: RolloutRequest = {},
  ): Promise<RolloutResult> {
    return this.serviceAction(entityRef, service, 'stop', request);
  }

  startInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request: RolloutRequest = {},
  ): Promise<RolloutResult> {
    return this.serviceAction(entityRef, service, 'start', request);
  }

  deleteInferenceService(
    entityRef: MlopsEntityRef,
    service: string,
    request: RolloutRequest = {},
  ): Promise<RolloutResult> {
    return this.serviceAction(entityRef, service, 'delete', request);
  }

  /**
   * POST base/kserve/inference-services/:service/<action>, or DELETE
   * base/kserve/inference-services/:service, with the RolloutRequest as JSON body.
   */
  private serviceAction(
    entityRef: MlopsEntityRef,
    service: string,
    action: InferenceServiceAction,
    request: RolloutRequest,
  ): Promise<RolloutResult> {
    const segments = ['inference-services', service];
    if (action === 'delete') {
      return this.request(entityRef, 'kserve', segments, {
        body: request,
        method: 'DELETE',
      });
    }
    return this.request(entityRef, 'kserve', [...segments, action], {
      body: request,
    });
  }

  /** POST base/argo/workflows/:workflow/<action>, with an empty JSON body. */
  private workflowAction(
    entityRef: MlopsEntityRef,
    workflow: string,
    action: 'resubmit' | 'retry' | 'stop' | 'terminate',
  ): Promise<ArgoWorkflowSummary> {
    return this.request(entityRef, 'argo', ['workflows', workflow, action], {
      body: {},
    });
  }

  private get<T>(
    entityRef: MlopsEntityRef,
    area: Area,
    segments: string[],
    query: Record<string, QueryValue> = {},
  ): Promise<T> {
    return this.request(entityRef, area, segments, { query });
  }

  private async request<T>(
    entityRef: MlopsEntityRef,
    area: Area,
    segments: string[],
    options: RequestOptions = {},
  ): Promise<T> {
    const { query = {}, body, method = 'POST' } = options;
    const baseUrl = await this.discoveryApi.getBaseUrl('mlops');
    const { kind, namespace, name } =
      typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
    const path = ['entities', kind, namespace, name, area, ...segments]
      .map(encodeURIComponent)
      .join('/');

    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query)) {
      for (const v of ([] as Array<string | number | undefined>).concat(
        value,
      )) {
        if (v !== undefined && v !== '') {
          params.append(key, String(v));
        }
      }
    }
    const search = params.toString();

    const response = await this.fetchApi.fetch(
      `${baseUrl}/${path}${search ? `?${search}` : ''}`,
      body === undefined
        ? undefined
        : {
            method,
            headers: { 'Content-Type': 'application/json' },
            body: JSON.stringify(body),
          },
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
