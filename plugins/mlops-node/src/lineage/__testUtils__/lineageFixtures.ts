import type {
  ArgoWorkflowSummary,
  InferenceServiceView,
  MlflowModelVersion,
  MlflowRunDetail,
} from '@mlstack/plugin-mlops-common';

export const MODEL = 'fraud-detector';
export const COMMIT = '3f2a9c1d4e5b6a7980112233445566778899aabb';

export function aVersion(
  version: string,
  more: Partial<MlflowModelVersion> = {},
): MlflowModelVersion {
  return {
    name: MODEL,
    version,
    status: 'READY',
    runId: `run-${version}`,
    modelId: `m-${version}0`,
    aliases: [],
    tags: {},
    uiUrl: `http://mlflow/#/models/${MODEL}/versions/${version}`,
    ...more,
  };
}

export function aRun(
  runId: string,
  tags: Record<string, string> = {},
  more: Partial<MlflowRunDetail> = {},
): MlflowRunDetail {
  return {
    runId,
    runName: `train-${runId}`,
    experimentId: '1',
    status: 'FINISHED',
    lifecycleStage: 'active',
    metrics: { accuracy: 0.93 },
    params: { max_depth: '6' },
    tags,
    uiUrl: `http://mlflow/#/runs/${runId}`,
    latestMetrics: [],
    datasets: [],
    ...more,
  };
}

export const fullTags = (workflow: string) => ({
  'mlstack.io/dvc-data-hash': 'a1b2c3d4e5f60718',
  'mlflow.source.git.commit': COMMIT,
  'mlstack.io/argo-workflow': workflow,
});

export function aWorkflow(name: string): ArgoWorkflowSummary {
  return {
    name,
    namespace: 'ml-projects',
    phase: 'Succeeded',
    startedAt: '2026-11-01T10:00:00Z',
    finishedAt: '2026-11-01T10:20:00Z',
    templateName: 'fraud-detector-train',
    parameters: {},
    suspended: false,
    labels: {},
  };
}

export function aService(
  name: string,
  more: Partial<InferenceServiceView> = {},
): InferenceServiceView {
  return {
    name,
    namespace: 'ml-projects',
    ready: true,
    conditions: [],
    deploymentMode: 'Standard',
    deploymentModeSource: 'status',
    predictor: {},
    hasTransformer: false,
    hasExplainer: false,
    traffic: [],
    labels: {},
    stopped: false,
    canaries: [],
    ...more,
  };
}

export const record = (version: string) => ({
  instance: 'default',
  modelName: MODEL,
  version,
  storageUri: `s3://mlflow/1/models/m-${version}0/artifacts`,
  deployedAt: '2026-11-01T11:00:00Z',
});
