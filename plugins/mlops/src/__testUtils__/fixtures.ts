import type { Entity } from '@backstage/catalog-model';
import {
  MLFLOW_EXPERIMENT_NAME_ANNOTATION,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  type MlflowArtifactPage,
  type MlflowExperimentsResponse,
  type MlflowLoggedModelsResponse,
  type MlflowMetricHistory,
  type MlflowModelsResponse,
  type MlflowRun,
  type MlflowRunDetail,
  type MlflowRunPage,
} from '@mlstack/plugin-mlops-common';

const UI = 'http://mlflow.example.com';
const T0 = Date.UTC(2025, 4, 12, 9, 30);

export const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'fraud-detector',
    namespace: 'default',
    annotations: {
      [MLFLOW_EXPERIMENT_NAME_ANNOTATION]: 'fraud-detector, fraud-detector-hpo',
      [MLFLOW_REGISTERED_MODEL_ANNOTATION]: 'fraud-detector',
    },
  },
  spec: { type: 'ml-project', owner: 'group:default/ml-team' },
};

export const entityWithoutAnnotations: Entity = {
  ...entity,
  metadata: { name: 'plain-service', namespace: 'default' },
};

export const experimentsResponse: MlflowExperimentsResponse = {
  instance: 'default',
  uiBaseUrl: UI,
  experiments: [
    {
      experimentId: '1',
      name: 'fraud-detector',
      lifecycleStage: 'active',
      creationTime: T0 - 86_400_000,
      tags: { 'mlstack.io/owner': 'group:default/ml-team' },
      uiUrl: `${UI}/#/experiments/1`,
      claim: 'owned',
    },
    {
      experimentId: '2',
      name: 'fraud-detector-hpo',
      lifecycleStage: 'active',
      creationTime: T0 - 3_600_000,
      tags: {},
      uiUrl: `${UI}/#/experiments/2`,
      claim: 'unclaimed',
    },
  ],
  missingExperiments: [],
  refusedExperiments: [],
};

function run(partial: Partial<MlflowRun> & { runId: string }): MlflowRun {
  return {
    runName: partial.runId,
    experimentId: '1',
    status: 'FINISHED',
    startTime: T0,
    endTime: T0 + 125_000,
    durationMs: 125_000,
    user: 'alice',
    lifecycleStage: 'active',
    metrics: {},
    params: {},
    tags: {},
    uiUrl: `${UI}/#/experiments/${partial.experimentId ?? '1'}/runs/${
      partial.runId
    }`,
    ...partial,
  };
}

export const runs: MlflowRun[] = [
  run({
    runId: 'a1b2c3d4',
    runName: 'rf-baseline',
    status: 'FINISHED',
    sourceCommit: '0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c',
    metrics: { accuracy: 0.9312, f1: 0.8123, auc: 0.97, loss: 0.21 },
    params: { n_estimators: '100', max_depth: '8', lr: '0.1' },
  }),
  run({
    runId: 'b2c3d4e5',
    runName: 'rf-deeper',
    status: 'FAILED',
    startTime: T0 + 1000,
    metrics: { accuracy: 0.9011, f1: 0.7999, auc: 0.95, loss: 0.25 },
    params: { n_estimators: '200', max_depth: '16', lr: '0.1' },
  }),
  run({
    runId: 'c3d4e5f6',
    runName: 'hpo-trial-1',
    status: 'RUNNING',
    endTime: undefined,
    parentRunId: 'a1b2c3d4',
    experimentId: '2',
    metrics: { accuracy: 0.88 },
    params: { n_estimators: '50', max_depth: '8', lr: '0.01' },
  }),
  run({ runId: 'd4e5f6a7', runName: 'queued', status: 'SCHEDULED' }),
  run({ runId: 'e5f6a7b8', runName: 'stopped', status: 'KILLED' }),
];

export const runPage: MlflowRunPage = {
  runs,
  nextPageToken: 'token-page-2',
  metricKeys: ['accuracy', 'f1', 'auc', 'loss'],
  paramKeys: ['n_estimators', 'max_depth', 'lr'],
};

export const secondRunPage: MlflowRunPage = {
  runs: [run({ runId: 'f6a7b8c9', runName: 'older-run' })],
  metricKeys: ['accuracy'],
  paramKeys: ['lr'],
};

export function runDetail(r: MlflowRun): MlflowRunDetail {
  return {
    ...r,
    tags: { ...r.tags, team: 'fraud', 'mlflow.user': r.user ?? '' },
    latestMetrics: Object.entries(r.metrics).map(([key, value]) => ({
      key,
      value,
      step: 9,
      timestamp: T0 + 100_000,
    })),
    datasets: [
      {
        name: 'transactions',
        digest: 'abc123',
        sourceType: 's3',
        context: 'training',
      },
    ],
  };
}

export function metricHistory(runId: string, key: string): MlflowMetricHistory {
  return {
    runId,
    key,
    points: Array.from({ length: 5 }, (_, step) => ({
      key,
      step,
      timestamp: T0 + step * 1000,
      value: 0.5 + step / 10,
    })),
  };
}

export const artifactsRoot: MlflowArtifactPage = {
  rootUri: 'mlflow-artifacts:/1/a1b2c3d4/artifacts',
  files: [
    { path: 'model', isDir: true },
    { path: 'confusion_matrix.png', isDir: false, fileSize: 20480 },
  ],
  nextPageToken: 'artifacts-2',
};

export const artifactsModelDir: MlflowArtifactPage = {
  rootUri: 'mlflow-artifacts:/1/a1b2c3d4/artifacts',
  files: [
    { path: 'model/MLmodel', isDir: false, fileSize: 512 },
    { path: 'model/model.pkl', isDir: false, fileSize: 1_048_576 },
  ],
};

export const modelsResponse: MlflowModelsResponse = {
  instance: 'default',
  missingModels: [],
  refusedModels: [],
  models: [
    {
      name: 'fraud-detector',
      description: 'Card fraud classifier',
      creationTime: T0 - 86_400_000,
      aliases: { champion: '3', challenger: '4' },
      tags: {},
      uiUrl: `${UI}/#/models/fraud-detector`,
      claim: 'owned',
      versions: [
        {
          name: 'fraud-detector',
          version: '4',
          status: 'PENDING_REGISTRATION',
          creationTime: T0 + 7_200_000,
          runId: 'b2c3d4e5',
          aliases: ['challenger'],
          tags: {},
          uiUrl: `${UI}/#/models/fraud-detector/versions/4`,
          runUiUrl: `${UI}/#/experiments/1/runs/b2c3d4e5`,
        },
        {
          name: 'fraud-detector',
          version: '3',
          status: 'READY',
          creationTime: T0 + 3_600_000,
          runId: 'a1b2c3d4',
          aliases: ['champion'],
          tags: {},
          uiUrl: `${UI}/#/models/fraud-detector/versions/3`,
          runUiUrl: `${UI}/#/experiments/1/runs/a1b2c3d4`,
        },
        {
          name: 'fraud-detector',
          version: '2',
          status: 'FAILED_REGISTRATION',
          creationTime: T0,
          aliases: [],
          tags: {},
          uiUrl: `${UI}/#/models/fraud-detector/versions/2`,
        },
      ],
    },
  ],
};

export const loggedModelsResponse: MlflowLoggedModelsResponse = {
  models: [
    {
      modelId: 'm-0123456789abcdef',
      name: 'rf-model',
      experimentId: '1',
      sourceRunId: 'a1b2c3d4',
      status: 'READY',
      creationTime: T0 + 60_000,
      metrics: [],
      params: {},
      tags: {},
      uiUrl: `${UI}/#/experiments/1/models/m-0123456789abcdef`,
    },
  ],
};

/** The example ML project with its Argo and KServe annotations. */
export const kubernetesEntity: Entity = {
  ...entity,
  metadata: {
    ...entity.metadata,
    annotations: {
      ...entity.metadata.annotations,
      'argoworkflows.argoproj.io/workflow-selector':
        'app.kubernetes.io/part-of=fraud-detector',
      'mlstack.io/argo-workflow-template': 'fraud-detector-train',
      'mlstack.io/kserve-inference-service': 'fraud-detector',
      'backstage.io/kubernetes-namespace': 'ml-projects',
    },
  },
};

/** Argo and KServe annotations but no namespace. */
export const kubernetesEntityWithoutNamespace: Entity = {
  ...kubernetesEntity,
  metadata: {
    ...kubernetesEntity.metadata,
    annotations: Object.fromEntries(
      Object.entries(kubernetesEntity.metadata.annotations ?? {}).filter(
        ([key]) => key !== 'backstage.io/kubernetes-namespace',
      ),
    ),
  },
};

/**
 * The example ML project under another name. usePermission caches decisions
 * per entity ref across tests (SWR), so tests that deny use this entity.
 */
export const lockedKubernetesEntity: Entity = {
  ...kubernetesEntity,
  metadata: { ...kubernetesEntity.metadata, name: 'fraud-detector-locked' },
};
