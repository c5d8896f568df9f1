import { loadUpstreamFixtures, upstreamFixturePath } from '@internal/harness';
import fs from 'node:fs';
import { parseInferenceService } from './parseInferenceService';

const specs = (file: string) =>
  parseInferenceService(
    loadUpstreamFixtures(`kserve/examples/inferenceservices/${file}`)[0],
  );

const flowerSample = JSON.parse(
  fs.readFileSync(
    upstreamFixturePath(
      'kserve/examples/status/flower-sample-isvc-with-status.json',
    ),
    'utf8',
  ),
).object;

describe('parseInferenceService on every upstream spec (no status yet)', () => {
  it('reads the sklearn v1 framework spec', () => {
    expect(specs('sklearn-iris-v1.yaml')).toEqual({
      name: 'sklearn-iris',
      namespace: '',
      ready: false,
      conditions: [],
      deploymentMode: 'Knative',
      deploymentModeSource: 'default',
      predictor: {
        modelFormat: { name: 'sklearn' },
        framework: 'sklearn',
        storageUri: 'gs://kfserving-examples/models/sklearn/1.0/model',
      },
      hasTransformer: false,
      hasExplainer: false,
      traffic: [],
      labels: {},
      stopped: false,
      canaries: [],
    });
  });

  it('reads the sklearn v2 protocol spec', () => {
    expect(specs('sklearn-irisv2-v2protocol.yaml').predictor).toEqual({
      modelFormat: { name: 'sklearn' },
      framework: 'sklearn',
      protocolVersion: 'v2',
      storageUri: 'gs://seldon-models/sklearn/iris',
    });
  });

  it('reads the canary percent of the tensorflow rollout', () => {
    expect(specs('rollout-canary-tensorflow.yaml')).toMatchObject({
      name: 'my-model',
      predictor: {
        modelFormat: { name: 'tensorflow' },
        framework: 'tensorflow',
        storageUri: 'gs://kfserving-examples/models/tensorflow/flowers-2',
        canaryTrafficPercent: 10,
      },
    });
  });

  it('reads the s3 tensorflow spec with a service account', () => {
    expect(specs('mnist-s3-tensorflow.yaml').predictor).toEqual({
      modelFormat: { name: 'tensorflow' },
      framework: 'tensorflow',
      storageUri: 's3://kfserving-examples/mnist',
      serviceAccountName: 'sa',
    });
    expect(specs('mnist-s3-modelformat.yaml').predictor).toEqual({
      modelFormat: { name: 'tensorflow' },
      storageUri: 's3://kserve-examples/mnist',
      serviceAccountName: 'sa',
    });
  });

  it('reads the storage spec (the URI needs the storage-config secret)', () => {
    expect(specs('sklearn-storagespec-minio.yaml').predictor).toEqual({
      modelFormat: { name: 'sklearn' },
      framework: 'sklearn',
      storage: {
        key: 'localMinIO',
        path: 'sklearn',
        parameters: { bucket: 'example-models' },
      },
    });
  });

  it('reads the mlflow v2 spec: modelFormat, protocol, resources', () => {
    expect(specs('mlflow-v2-wine-classifier.yaml').predictor).toEqual({
      modelFormat: { name: 'mlflow' },
      protocolVersion: 'v2',
      storageUri: 'gs://kfserving-examples/models/mlflow/wine',
      resources: {
        requests: { cpu: '100m', memory: '512Mi' },
        limits: { cpu: '1', memory: '1Gi' },
      },
    });
  });

  it('reads both canary examples of the website', () => {
    for (const file of [
      'canary-sklearn-iris-10pct.yaml',
      'canary-sklearn-iris-tag-routing.yaml',
    ]) {
      expect(specs(file)).toMatchObject({
        name: 'sklearn-iris',
        namespace: 'kserve-test',
        predictor: {
          modelFormat: { name: 'sklearn' },
          storageUri: 'gs://kserve-examples/models/sklearn/1.0/model-2',
          canaryTrafficPercent: 10,
          resources: {
            requests: { cpu: '100m', memory: '256Mi' },
            limits: { cpu: '100m', memory: '256Mi' },
          },
        },
      });
    }
  });

  it('covers every example file', () => {
    const files = fs.readdirSync(
      upstreamFixturePath('kserve/examples/inferenceservices'),
    );
    expect(files.sort()).toEqual(
      [
        'canary-sklearn-iris-10pct.yaml',
        'canary-sklearn-iris-tag-routing.yaml',
        'mlflow-v2-wine-classifier.yaml',
        'mnist-s3-modelformat.yaml',
        'mnist-s3-tensorflow.yaml',
        'rollout-canary-tensorflow.yaml',
        'sklearn-irisv2-v2protocol.yaml',
        'sklearn-iris-v1.yaml',
        'sklearn-storagespec-minio.yaml',
      ].sort(),
    );
  });
});

describe('parseInferenceService on the upstream ISVC with status (flower-sample)', () => {
  const isvc = parseInferenceService(flowerSample);

  it('reads URLs, readiness, revisions and traffic', () => {
    expect(isvc).toMatchObject({
      name: 'flower-sample',
      namespace: 'kserve-test',
      uid: 'd074779a-e0d0-4612-b9c7-a7da69002683',
      creationTimestamp: '2021-01-18T00:31:35Z',
      url: 'http://flower-sample.kserve-test.example.com',
      internalUrl:
        'http://flower-sample.kserve-test.svc.cluster.local/v1/models/flower-sample:predict',
      ready: true,
      latestCreatedRevision: 'flower-sample-predictor-default-fg4d6',
      latestReadyRevision: 'flower-sample-predictor-default-fg4d6',
      latestRolledoutRevision: 'flower-sample-predictor-default-fg4d6',
      traffic: [
        {
          revisionName: 'flower-sample-predictor-default-fg4d6',
          percent: 100,
          latest: true,
          tag: 'latest',
          url: 'http://latest-flower-sample-predictor-default.kserve-test.example.com',
        },
      ],
      generation: 2,
    });
    expect(isvc.previousRolledoutRevision).toBeUndefined();
    // a KFServing-era status: no modelStatus, no deploymentMode
    expect(isvc.modelState).toBeUndefined();
    expect(isvc.lastFailureInfo).toBeUndefined();
    expect(isvc).toMatchObject({
      deploymentMode: 'Knative',
      deploymentModeSource: 'default',
    });
  });

  it('reads the five conditions', () => {
    expect(isvc.conditions).toEqual([
      {
        type: 'IngressReady',
        status: 'True',
        lastTransitionTime: '2021-01-18T00:31:55Z',
      },
      {
        type: 'PredictorConfigurationReady',
        status: 'True',
        lastTransitionTime: '2021-01-18T00:31:55Z',
        severity: 'Info',
      },
      {
        type: 'PredictorReady',
        status: 'True',
        lastTransitionTime: '2021-01-18T00:31:55Z',
      },
      {
        type: 'PredictorRouteReady',
        status: 'True',
        lastTransitionTime: '2021-01-18T00:31:51Z',
        severity: 'Info',
      },
      {
        type: 'Ready',
        status: 'True',
        lastTransitionTime: '2021-01-18T00:31:55Z',
      },
    ]);
  });

  it('reads the predictor with its canary percent', () => {
    expect(isvc.predictor).toEqual({
      modelFormat: { name: 'tensorflow' },
      framework: 'tensorflow',
      runtimeVersion: '1.14.0',
      storageUri: 'gs://kfserving-examples/models/tensorflow/flowers-2',
      canaryTrafficPercent: 20,
      resources: {
        requests: { cpu: '1', memory: '2Gi' },
        limits: { cpu: '1', memory: '2Gi' },
      },
    });
  });

  it('never returns managedFields', () => {
    const parsed = parseInferenceService({
      ...flowerSample,
      metadata: {
        ...flowerSample.metadata,
        managedFields: [{ manager: 'manager' }],
      },
    });
    expect(JSON.stringify(parsed)).not.toContain('managedFields');
  });
});

/** A v0.20 status during a canary rollout, with every field of the CRD's status schema. */
const rolloutWithFailure = {
  metadata: {
    name: 'fraud',
    namespace: 'ml',
    generation: 4,
    annotations: { 'serving.kserve.io/deploymentMode': 'RawDeployment' },
    labels: { app: 'fraud' },
  },
  spec: {
    predictor: {
      minReplicas: 1,
      maxReplicas: 3,
      canaryTrafficPercent: 20,
      model: {
        modelFormat: { name: 'xgboost', version: '2' },
        runtime: 'kserve-xgbserver',
        protocolVersion: 'v2',
        storageUri: 's3://models/fraud/v4',
      },
    },
    transformer: {
      containers: [{ name: 'kserve-container', image: 'feast-transformer' }],
    },
  },
  status: {
    observedGeneration: 3,
    deploymentMode: 'Serverless',
    url: 'https://fraud.ml.example.com',
    conditions: [
      {
        type: 'PredictorReady',
        status: 'False',
        reason: 'RevisionFailed',
        message: 'Revision "fraud-predictor-00004" failed',
      },
      {
        type: 'Ready',
        status: 'Unknown',
        lastTransitionTime: '2025-03-01T10:00:00Z',
      },
      { status: 'True' },
    ],
    components: {
      predictor: {
        latestCreatedRevision: 'fraud-predictor-00004',
        latestReadyRevision: 'fraud-predictor-00003',
        latestRolledoutRevision: 'fraud-predictor-00003',
        previousRolledoutRevision: 'fraud-predictor-00002',
        traffic: [
          {
            revisionName: 'fraud-predictor-00003',
            percent: 80,
            tag: 'prev',
            latestRevision: false,
          },
          {
            revisionName: 'fraud-predictor-00004',
            percent: 20,
            tag: 'latest',
            latestRevision: true,
            url: 'https://latest-fraud.ml.example.com',
          },
        ],
      },
    },
    modelStatus: {
      states: { activeModelState: 'Loaded', targetModelState: 'FailedToLoad' },
      transitionStatus: 'BlockedByFailedLoad',
      copies: { failedCopies: 1, totalCopies: 2 },
      lastFailureInfo: {
        reason: 'ModelLoadFailed',
        message: 'unsupported model version',
        time: '2025-03-01T10:01:00Z',
        exitCode: 1,
        modelRevisionName: 'fraud-predictor-00004',
        location: 'fraud-predictor-00004-deployment-abc',
      },
    },
  },
};

describe('parseInferenceService on a v0.20 status', () => {
  it('reads a canary rollout that failed to load the new model', () => {
    expect(parseInferenceService(rolloutWithFailure)).toEqual({
      name: 'fraud',
      namespace: 'ml',
      url: 'https://fraud.ml.example.com',
      ready: false,
      conditions: [
        {
          type: 'PredictorReady',
          status: 'False',
          reason: 'RevisionFailed',
          message: 'Revision "fraud-predictor-00004" failed',
        },
        {
          type: 'Ready',
          status: 'Unknown',
          lastTransitionTime: '2025-03-01T10:00:00Z',
        },
      ],
      // status wins over the annotation, as in KServe's GetDeploymentMode; Serverless = Knative
      deploymentMode: 'Knative',
      deploymentModeSource: 'status',
      predictor: {
        modelFormat: { name: 'xgboost', version: '2' },
        runtime: 'kserve-xgbserver',
        protocolVersion: 'v2',
        storageUri: 's3://models/fraud/v4',
        canaryTrafficPercent: 20,
        minReplicas: 1,
        maxReplicas: 3,
      },
      hasTransformer: true,
      hasExplainer: false,
      traffic: [
        {
          revisionName: 'fraud-predictor-00003',
          percent: 80,
          latest: false,
          tag: 'prev',
        },
        {
          revisionName: 'fraud-predictor-00004',
          percent: 20,
          latest: true,
          tag: 'latest',
          url: 'https://latest-fraud.ml.example.com',
        },
      ],
      latestReadyRevision: 'fraud-predictor-00003',
      latestCreatedRevision: 'fraud-predictor-00004',
      latestRolledoutRevision: 'fraud-predictor-00003',
      previousRolledoutRevision: 'fraud-predictor-00002',
      modelState: {
        activeModelState: 'Loaded',
        targetModelState: 'FailedToLoad',
        transitionStatus: 'BlockedByFailedLoad',
        failedCopies: 1,
        totalCopies: 2,
      },
      lastFailureInfo: {
        reason: 'ModelLoadFailed',
        message: 'unsupported model version',
        time: '2025-03-01T10:01:00Z',
        exitCode: 1,
        modelRevisionName: 'fraud-predictor-00004',
        location: 'fraud-predictor-00004-deployment-abc',
      },
      generation: 4,
      observedGeneration: 3,
      labels: { app: 'fraud' },
      stopped: false,
      canaries: [],
    });
  });
});

describe('deployment mode', () => {
  const withMode = (annotation?: string, recorded?: string) =>
    parseInferenceService({
      metadata: {
        name: 'x',
        annotations: annotation
          ? { 'serving.kserve.io/deploymentMode': annotation }
          : {},
      },
      status: recorded ? { deploymentMode: recorded } : {},
    });

  it('takes a valid annotation when the status records none, in the current names', () => {
    expect(withMode('RawDeployment')).toMatchObject({
      deploymentMode: 'Standard',
      deploymentModeSource: 'annotation',
    });
    expect(withMode('Standard')).toMatchObject({
      deploymentMode: 'Standard',
      deploymentModeSource: 'annotation',
    });
    expect(withMode('Serverless')).toMatchObject({
      deploymentMode: 'Knative',
      deploymentModeSource: 'annotation',
    });
    expect(withMode('ModelMesh')).toMatchObject({
      deploymentMode: 'ModelMesh',
      deploymentModeSource: 'annotation',
    });
  });

  it('ignores an invalid annotation and falls back to the default', () => {
    expect(withMode('Fancy')).toMatchObject({
      deploymentMode: 'Knative',
      deploymentModeSource: 'default',
    });
    expect(
      parseInferenceService(
        { metadata: { name: 'x' } },
        { defaultDeploymentMode: 'Standard' },
      ),
    ).toMatchObject({
      deploymentMode: 'Standard',
      deploymentModeSource: 'default',
    });
  });

  it('reports a recorded mode KServe does not define as Unknown', () => {
    expect(withMode(undefined, 'Fancy')).toMatchObject({
      deploymentMode: 'Unknown',
      deploymentModeSource: 'status',
    });
  });
});

describe('predictor shapes', () => {
  const predictorOf = (predictor: unknown, status: unknown = {}) =>
    parseInferenceService({
      metadata: { name: 'x' },
      spec: { predictor },
      status,
    }).predictor;

  it('reads a custom container: image and STORAGE_URI', () => {
    expect(
      predictorOf({
        containers: [
          { name: 'sidecar', image: 'envoy' },
          {
            name: 'kserve-container',
            image: 'registry/fraud:4',
            env: [{ name: 'STORAGE_URI', value: 'pvc://models/fraud' }],
            resources: { limits: { 'nvidia.com/gpu': 1 } },
          },
        ],
      }),
    ).toEqual({
      image: 'registry/fraud:4',
      storageUri: 'pvc://models/fraud',
      resources: { requests: {}, limits: { 'nvidia.com/gpu': '1' } },
    });
  });

  it('takes the runtime the controller chose and the first storageUris entry', () => {
    expect(
      predictorOf(
        {
          model: { modelFormat: { name: 'huggingface' } },
          storageUris: [{ uri: 'hf://meta/llama', mountPath: '/mnt/models' }],
        },
        { servingRuntimeName: 'kserve-huggingfaceserver' },
      ),
    ).toEqual({
      modelFormat: { name: 'huggingface' },
      runtime: 'kserve-huggingfaceserver',
      storageUri: 'hf://meta/llama',
    });
  });

  it('builds the URI of a storage spec whose parameters name the type', () => {
    expect(
      predictorOf({
        model: {
          modelFormat: { name: 'sklearn' },
          storage: {
            key: 'minio',
            path: '/iris',
            parameters: { type: 's3', bucket: 'models' },
          },
        },
      }).storageUri,
    ).toBe('s3://models/iris');
    expect(
      predictorOf({
        model: {
          modelFormat: { name: 'sklearn' },
          storage: { path: 'iris', parameters: { type: 'gs' } },
        },
      }).storageUri,
    ).toBe('gs://iris');
    expect(
      predictorOf({
        model: {
          modelFormat: { name: 'sklearn' },
          storage: { path: 'iris', parameters: { type: 's3' } },
        },
      }).storageUri,
    ).toBeUndefined();
  });

  it('does not throw on garbage', () => {
    for (const garbage of [
      undefined,
      null,
      'x',
      { spec: { predictor: 'x' }, status: [] },
    ]) {
      expect(parseInferenceService(garbage)).toMatchObject({
        name: '',
        ready: false,
        conditions: [],
        predictor: {},
        traffic: [],
      });
    }
  });
});

describe('what the portal writes', () => {
  const served = {
    instance: 'default',
    modelName: 'fraud',
    version: '1',
    storageUri: 's3://mlflow-artifacts/3/models/m-1/artifacts',
    deployedAt: '2026-11-28T10:00:00.000Z',
  };

  it('reads the served and canary records, the entity, the stop flag and Standard canaries with their status', () => {
    const summary = parseInferenceService({
      metadata: {
        name: 'fraud',
        namespace: 'ml',
        annotations: {
          'serving.kserve.io/deploymentMode': 'Standard',
          'serving.kserve.io/stop': 'true',
          'mlstack.io/served-model': JSON.stringify(served),
          'mlstack.io/canary-model': JSON.stringify({
            ...served,
            version: '2',
          }),
          'mlstack.io/entity-ref': 'component:default/fraud-detector',
        },
      },
      spec: {
        predictor: { model: { modelFormat: { name: 'sklearn' } } },
        canary: [
          {
            trafficPercent: 20,
            predictor: {
              name: 'v2',
              minReplicas: 1,
              model: {
                modelFormat: { name: 'sklearn' },
                storageUri: 's3://mlflow-artifacts/3/models/m-2/artifacts',
              },
            },
          },
          { trafficPercent: 5, predictor: { name: 'v3' } },
        ],
      },
      status: {
        canaryStatuses: [
          {
            name: 'v2',
            ready: true,
            trafficPercent: 20,
            modelStatus: { states: { activeModelState: 'Loaded' } },
          },
        ],
      },
    });
    expect(summary).toMatchObject({
      stopped: true,
      servedModel: served,
      canaryModel: { ...served, version: '2' },
      deployedFor: 'component:default/fraud-detector',
      canaries: [
        {
          name: 'v2',
          trafficPercent: 20,
          ready: true,
          modelState: { activeModelState: 'Loaded' },
          predictor: {
            modelFormat: { name: 'sklearn' },
            storageUri: 's3://mlflow-artifacts/3/models/m-2/artifacts',
            minReplicas: 1,
          },
        },
        { name: 'v3', trafficPercent: 5, predictor: {} },
      ],
    });
    expect(summary.canaries[1]).not.toHaveProperty('ready');
  });

  it('reads a record that is not the portal’s JSON as absent', () => {
    for (const value of ['v1', '{"version":"1"}', '[]', '']) {
      const summary = parseInferenceService({
        metadata: { annotations: { 'mlstack.io/served-model': value } },
      });
      expect(summary.servedModel).toBeUndefined();
    }
    expect(
      parseInferenceService({
        metadata: { annotations: { 'serving.kserve.io/stop': 'false' } },
      }).stopped,
    ).toBe(false);
  });
});
