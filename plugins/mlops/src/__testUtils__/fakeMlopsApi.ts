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
};

/** A MlopsApi whose methods are jest mocks answering with the fixtures. */
export function fakeMlopsApi(overrides: Partial<MlopsApi> = {}): FakeMlopsApi {
  const impl: MlopsApi = { ...defaults, ...overrides };
  return Object.fromEntries(
    Object.entries(impl).map(([name, fn]) => [name, jest.fn(fn)]),
  ) as unknown as FakeMlopsApi;
}
