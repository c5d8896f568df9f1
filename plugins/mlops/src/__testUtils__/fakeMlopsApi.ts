import type { MlopsApi } from '../api';
import {
  artifactsRoot,
  experimentsResponse,
  loggedModelsResponse,
  metricHistory,
  modelsResponse,
  runDetail,
  runPage,
  runs,
} from './fixtures';
import {
  nodeLogs,
  templatesResponse,
  toSummary,
  workflowDetails,
  workflowPage,
} from './argoFixtures';
import {
  deployPreview,
  deployTargets,
  rolloutResult,
  serviceLogs,
  servicesResponse,
} from './kserveFixtures';
import { lineageResponse } from '../components/lineage/LineageContent/lineageFixtures';

const HARNESS = { cluster: 'harness', namespace: 'ml-projects' };

function findWorkflow(name: string) {
  const found = workflowDetails.find(w => w.name === name);
  if (!found) {
    throw new Error(`no workflow ${name}`);
  }
  return found;
}

export type FakeMlopsApi = jest.Mocked<MlopsApi>;

const defaults: MlopsApi = {
  getMlflowExperiments: async () => experimentsResponse,
  searchMlflowRuns: async () => runPage,
  getMlflowRun: async (_ref, runId) => {
    const found = runs.find(r => r.runId === runId);
    if (!found) {
      throw new Error(`no run ${runId}`);
    }
    return runDetail(found);
  },
  getMlflowMetricHistory: async (_ref, runId, key) => metricHistory(runId, key),
  listMlflowArtifacts: async () => artifactsRoot,
  getMlflowModels: async () => modelsResponse,
  getMlflowLoggedModels: async () => loggedModelsResponse,
  listArgoWorkflows: async () => workflowPage,
  getArgoWorkflow: async (_ref, name) => findWorkflow(name),
  getArgoNodeLogs: async (_ref, workflow, nodeId) => nodeLogs(workflow, nodeId),
  getArgoWorkflowTemplates: async () => templatesResponse,
  submitArgoWorkflow: async (_ref, template, request) => ({
    ...toSummary(workflowDetails[0]),
    name: `${template}-new01`,
    phase: 'Pending',
    parameters: request?.parameters ?? {},
  }),
  resubmitArgoWorkflow: async (_ref, name) => ({
    ...toSummary(findWorkflow(name)),
    name: `${name}-resub`,
    phase: 'Pending',
  }),
  retryArgoWorkflow: async (_ref, name) => ({
    ...toSummary(findWorkflow(name)),
    phase: 'Running',
  }),
  stopArgoWorkflow: async (_ref, name) => toSummary(findWorkflow(name)),
  terminateArgoWorkflow: async (_ref, name) => toSummary(findWorkflow(name)),
  getLineage: async () => lineageResponse,
  getInferenceServices: async () => servicesResponse,
  getInferenceServiceLogs: async (_ref, service) => serviceLogs(service),
  getInferenceServiceEvents: async (_ref, service) => ({
    service,
    events: [],
  }),
  getDeployTargets: async () => deployTargets,
  previewDeploy: async (_ref, request) => deployPreview(request),
  deployModel: async (_ref, request) => rolloutResult(request),
  promoteInferenceService: async (_ref, service) =>
    rolloutResult(
      { serviceName: service, target: HARNESS },
      { action: 'promote' },
    ),
  rollbackInferenceService: async (_ref, service) =>
    rolloutResult(
      { serviceName: service, target: HARNESS },
      { action: 'rollback' },
    ),
  stopInferenceService: async (_ref, service) =>
    rolloutResult(
      { serviceName: service, target: HARNESS },
      { action: 'stop' },
    ),
  startInferenceService: async (_ref, service) =>
    rolloutResult(
      { serviceName: service, target: HARNESS },
      { action: 'start' },
    ),
  deleteInferenceService: async (_ref, service) =>
    rolloutResult(
      { serviceName: service, target: HARNESS },
      { action: 'delete' },
    ),
};

/** A MlopsApi whose methods are jest mocks answering with the fixtures. */
export function fakeMlopsApi(overrides: Partial<MlopsApi> = {}): FakeMlopsApi {
  const impl: MlopsApi = { ...defaults, ...overrides };
  return Object.fromEntries(
    Object.entries(impl).map(([name, fn]) => [name, jest.fn(fn)]),
  ) as unknown as FakeMlopsApi;
}
