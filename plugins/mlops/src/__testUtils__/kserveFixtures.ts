import type {
  InferenceServiceLogs,
  InferenceServiceView,
  InferenceServicesResponse,
} from '@mlstack/plugin-mlops-common';

/** A Knative-mode service rolling out a canary (from KServe's flower-sample status). */
export const canaryService: InferenceServiceView = {
  stopped: false,
  canaries: [],
  name: 'fraud-detector',
  namespace: 'ml-projects',
  creationTimestamp: '2021-01-18T00:31:35Z',
  url: 'http://fraud-detector.ml-projects.example.com',
  internalUrl: 'http://fraud-detector.ml-projects.svc.cluster.local',
  ready: true,
  conditions: [
    {
      type: 'IngressReady',
      status: 'True',
      lastTransitionTime: '2021-01-18T00:31:55Z',
    },
    {
      type: 'PredictorConfigurationReady',
      status: 'True',
      severity: 'Info',
    },
    { type: 'PredictorReady', status: 'True' },
    {
      type: 'PredictorRouteReady',
      status: 'Unknown',
      severity: 'Info',
      reason: 'RevisionMissing',
      message: 'Configuration is waiting for a Revision to become ready.',
    },
    { type: 'Ready', status: 'True' },
  ],
  deploymentMode: 'Knative',
  deploymentModeSource: 'status',
  predictor: {
    modelFormat: { name: 'sklearn', version: '1' },
    runtime: 'kserve-sklearnserver',
    protocolVersion: 'v2',
    storageUri: 's3://mlflow-artifacts/1/models/m-abc/artifacts',
    canaryTrafficPercent: 20,
  },
  hasTransformer: false,
  hasExplainer: false,
  traffic: [
    {
      revisionName: 'fraud-detector-predictor-00002',
      percent: 20,
      latest: true,
      tag: 'latest',
    },
    {
      revisionName: 'fraud-detector-predictor-00001',
      percent: 80,
      latest: false,
      tag: 'prev',
    },
  ],
  latestReadyRevision: 'fraud-detector-predictor-00002',
  latestCreatedRevision: 'fraud-detector-predictor-00002',
  latestRolledoutRevision: 'fraud-detector-predictor-00001',
  previousRolledoutRevision: 'fraud-detector-predictor-00000',
  modelState: {
    activeModelState: 'Loaded',
    targetModelState: 'Loaded',
    transitionStatus: 'UpToDate',
    failedCopies: 0,
    totalCopies: 1,
  },
  generation: 3,
  observedGeneration: 2,
  labels: { 'app.kubernetes.io/part-of': 'fraud-detector' },
  modelVersion: {
    instance: 'default',
    modelName: 'fraud-detector',
    version: '4',
    aliases: ['champion'],
    uiUrl: 'http://mlflow.example.com/#/models/fraud-detector/versions/4',
  },
};

/** A Standard-mode service whose model failed to load. */
export const failedService: InferenceServiceView = {
  stopped: false,
  canaries: [],
  name: 'fraud-detector-shadow',
  namespace: 'ml-projects',
  ready: false,
  conditions: [
    {
      type: 'PredictorReady',
      status: 'False',
      reason: 'ModelLoadFailed',
      message: 'model file not found',
    },
    {
      type: 'Ready',
      status: 'False',
      reason: 'ModelLoadFailed',
      message: 'model file not found',
    },
  ],
  deploymentMode: 'Standard',
  deploymentModeSource: 'annotation',
  predictor: {
    modelFormat: { name: 'sklearn' },
    storageUri: 's3://models/fraud/shadow',
  },
  hasTransformer: false,
  hasExplainer: false,
  traffic: [],
  modelState: {
    activeModelState: 'FailedToLoad',
    targetModelState: 'Loaded',
    transitionStatus: 'BlockedByFailedLoad',
    failedCopies: 1,
    totalCopies: 1,
  },
  lastFailureInfo: {
    reason: 'ModelLoadFailed',
    message: 'model file not found at s3://models/fraud/shadow',
    time: '2025-05-12T09:30:00Z',
    exitCode: 1,
  },
  generation: 1,
  observedGeneration: 1,
  labels: {},
};

export const servicesResponse: InferenceServicesResponse = {
  cluster: 'harness',
  namespace: 'ml-projects',
  services: [canaryService, failedService],
  missingServices: [],
};

export function serviceLogs(
  service: string,
  text = 'INFO model fraud-detector loaded\n',
): InferenceServiceLogs {
  return {
    service,
    component: 'predictor',
    podName: `${service}-predictor-abc`,
    container: 'kserve-container',
    available: true,
    text,
  };
}
