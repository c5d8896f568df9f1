import type {
  DeployPreview,
  DeployRequest,
  DeployTargetsResponse,
  InferenceServiceLogs,
  InferenceServiceView,
  InferenceServicesResponse,
  RolloutResult,
  ServedModelRecord,
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

/** Version 3 of fraud-detector as the portal recorded it on a service it deployed. */
export const servedV3: ServedModelRecord = {
  instance: 'default',
  modelName: 'fraud-detector',
  version: '3',
  runId: 'a1b2c3d4',
  storageUri: 's3://mlflow-artifacts/1/a1b2c3d4/artifacts/model',
  deployedBy: 'user:default/alice',
  deployedAt: '2025-05-12T10:00:00Z',
};

/** Version 4 of fraud-detector, deployed as a canary. */
export const canaryV4: ServedModelRecord = {
  instance: 'default',
  modelName: 'fraud-detector',
  version: '4',
  runId: 'b2c3d4e5',
  storageUri: 's3://mlflow-artifacts/1/b2c3d4e5/artifacts/model',
  deployedBy: 'user:default/alice',
  deployedAt: '2025-05-13T08:00:00Z',
};

/** A Standard-mode service the portal deployed, with a v4 canary taking 10 %. */
export const portalService: InferenceServiceView = {
  name: 'fraud-portal',
  namespace: 'ml-projects',
  uid: 'uid-fraud-portal',
  url: 'http://fraud-portal.ml-projects.example.com',
  ready: true,
  conditions: [{ type: 'Ready', status: 'True' }],
  deploymentMode: 'Standard',
  deploymentModeSource: 'annotation',
  predictor: {
    modelFormat: { name: 'mlflow' },
    runtime: 'kserve-mlserver',
    protocolVersion: 'v2',
    storageUri: servedV3.storageUri,
  },
  hasTransformer: false,
  hasExplainer: false,
  traffic: [],
  generation: 4,
  observedGeneration: 4,
  labels: { 'backstage.io/kubernetes-id': 'fraud-detector' },
  resourceVersion: '81723',
  stopped: false,
  canaries: [
    {
      name: 'canary',
      trafficPercent: 10,
      predictor: {
        modelFormat: { name: 'mlflow' },
        runtime: 'kserve-mlserver',
        storageUri: canaryV4.storageUri,
      },
      ready: false,
    },
  ],
  servedModel: servedV3,
  canaryModel: canaryV4,
  deployedFor: 'component:default/fraud-detector',
};

/** The portal's service, stopped, without a canary. */
export const stoppedService: InferenceServiceView = {
  ...portalService,
  name: 'fraud-stopped',
  uid: 'uid-fraud-stopped',
  ready: false,
  resourceVersion: '99001',
  stopped: true,
  canaries: [],
  canaryModel: undefined,
};

export const deployTargets: DeployTargetsResponse = {
  targets: [
    {
      cluster: 'harness',
      namespace: 'ml-projects',
      modes: ['Standard', 'Knative'],
      serviceAccountName: 'mlflow-models',
    },
    {
      cluster: 'prod',
      namespace: 'ml-serving',
      modes: ['Standard'],
      refusedReason:
        'group:default/ml-team does not own namespace ml-serving on prod',
    },
  ],
  runtimes: [
    {
      name: 'kserve-mlserver',
      modelFormat: 'mlflow',
      protocolVersion: 'v2',
      flavors: ['python_function'],
    },
    {
      name: 'kserve-sklearnserver',
      modelFormat: 'sklearn',
      protocolVersion: 'v2',
      flavors: ['sklearn'],
    },
  ],
};

/** What a preview answers for `request`: a new service serving version 3. */
export function deployPreview(
  request: DeployRequest,
  overrides: Partial<DeployPreview> = {},
): DeployPreview {
  return {
    action: 'create',
    model: {
      ...servedV3,
      flavors: ['python_function', 'sklearn'],
      runtime: deployTargets.runtimes[1],
    },
    manifest: {
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: {
        name: request.serviceName,
        namespace: request.target.namespace,
        annotations: {
          'serving.kserve.io/deploymentMode': request.mode,
        },
      },
      spec: {
        predictor: {
          model: {
            modelFormat: { name: 'sklearn' },
            runtime: 'kserve-sklearnserver',
            storageUri: servedV3.storageUri,
          },
        },
      },
    },
    notes: [],
    ...overrides,
  };
}

/** What a deploy answers for `request`. */
export function rolloutResult(
  request: Pick<DeployRequest, 'serviceName' | 'target'>,
  overrides: Partial<RolloutResult> = {},
): RolloutResult {
  return {
    action: 'create',
    cluster: request.target.cluster,
    namespace: request.target.namespace,
    service: request.serviceName,
    mlflowTags: {
      written: [
        `mlstack.io/serving/${request.target.cluster}/${request.target.namespace}/${request.serviceName}`,
      ],
      removed: [],
      failed: [],
    },
    ...overrides,
  };
}
