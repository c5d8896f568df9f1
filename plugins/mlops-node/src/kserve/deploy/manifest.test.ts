import {
  CANARY_MODEL_ANNOTATION,
  DEPLOYED_FOR_ANNOTATION,
  SERVED_MODEL_ANNOTATION,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import { DEPLOY_RUNTIMES } from './runtimes';
import {
  INFERENCE_SERVICE_API_VERSION,
  applyBodyFrom,
  modelPredictor,
  setDeployedFor,
  setRecord,
} from './manifest';

const [sklearnServer, mlserver] = DEPLOY_RUNTIMES;
const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** An InferenceService as the API server returns it, after a client-side `kubectl apply`. */
function fromCluster() {
  return {
    apiVersion: 'serving.kserve.io/v1beta1',
    kind: 'InferenceService',
    metadata: {
      name: 'fraud',
      namespace: 'ml',
      uid: '5c1e4f0e-0000-4000-8000-000000000001',
      resourceVersion: '4711',
      generation: 3,
      creationTimestamp: '2026-11-01T10:00:00Z',
      managedFields: [
        {
          manager: 'kubectl-client-side-apply',
          operation: 'Update',
          apiVersion: 'serving.kserve.io/v1beta1',
          time: '2026-11-01T10:00:00Z',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': {} },
        },
      ],
      labels: { team: 'fraud' },
      annotations: {
        [LAST_APPLIED]: '{"apiVersion":"serving.kserve.io/v1beta1"}',
        'serving.kserve.io/deploymentMode': 'Standard',
      },
      finalizers: ['inferenceservice.finalizers'],
      ownerReferences: [
        {
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Workflow',
          name: 'train-fraud',
          uid: '5c1e4f0e-0000-4000-8000-000000000002',
        },
      ],
    },
    spec: {
      predictor: {
        minReplicas: 2,
        model: {
          modelFormat: { name: 'sklearn' },
          storageUri: 's3://models/fraud/1',
        },
      },
    },
    status: {
      url: 'http://fraud.ml.example.com',
      conditions: [{ type: 'Ready', status: 'True' }],
    },
  };
}

describe('applyBodyFrom', () => {
  it('keeps name, namespace, resourceVersion, labels, annotations (kubectl’s last-applied one too), finalizers, owners and spec; drops status and server fields', () => {
    expect(applyBodyFrom(fromCluster())).toEqual({
      apiVersion: INFERENCE_SERVICE_API_VERSION,
      kind: 'InferenceService',
      metadata: {
        name: 'fraud',
        namespace: 'ml',
        resourceVersion: '4711',
        labels: { team: 'fraud' },
        annotations: {
          'serving.kserve.io/deploymentMode': 'Standard',
          [LAST_APPLIED]: '{"apiVersion":"serving.kserve.io/v1beta1"}',
        },
        // written back whole (PUT): dropping them would remove KServe's finalizer and the owners
        finalizers: ['inferenceservice.finalizers'],
        ownerReferences: fromCluster().metadata.ownerReferences,
      },
      spec: fromCluster().spec,
    });
  });

  it('leaves out finalizers and owners the object does not have', () => {
    const {
      finalizers: _f,
      ownerReferences: _o,
      ...metadata
    } = fromCluster().metadata;
    const body = applyBodyFrom({ ...fromCluster(), metadata });
    expect(body.metadata).not.toHaveProperty('finalizers');
    expect(body.metadata).not.toHaveProperty('ownerReferences');
  });

  it('copies: changing the body leaves the object it came from as it was', () => {
    const current = fromCluster();
    const body = applyBodyFrom(current);
    (body.spec as any).predictor.model.storageUri = 's3://models/fraud/2';
    (body.metadata as any).labels.extra = 'x';
    (body.metadata as any).annotations.extra = 'y';
    (body.metadata as any).finalizers.push('other');
    (body.metadata as any).ownerReferences[0].name = 'other';
    expect(current.spec.predictor.model.storageUri).toBe('s3://models/fraud/1');
    expect(current.metadata.labels).toEqual({ team: 'fraud' });
    expect(current.metadata.finalizers).toEqual([
      'inferenceservice.finalizers',
    ]);
    expect(current.metadata.ownerReferences[0].name).toBe('train-fraud');
    expect(current.metadata.annotations[LAST_APPLIED]).toBeTruthy();
  });

  it('reads garbage as an empty object rather than throwing', () => {
    expect(applyBodyFrom(undefined)).toEqual({
      apiVersion: INFERENCE_SERVICE_API_VERSION,
      kind: 'InferenceService',
      metadata: { labels: {}, annotations: {} },
      spec: {},
    });
  });
});

describe('modelPredictor', () => {
  it('fills in the runtime, format, protocol and storage URI, and nothing unset', () => {
    expect(
      modelPredictor({ runtime: sklearnServer, storageUri: 's3://m/1' }),
    ).toEqual({
      model: {
        modelFormat: { name: 'sklearn' },
        runtime: 'kserve-sklearnserver',
        protocolVersion: 'v2',
        storageUri: 's3://m/1',
      },
    });
  });

  it('adds the service account, replicas and only the resources given', () => {
    expect(
      modelPredictor({
        runtime: mlserver,
        storageUri: 's3://m/1',
        serviceAccountName: 'kserve-s3',
        minReplicas: 1,
        maxReplicas: 3,
        resources: { cpuRequest: '500m', memoryLimit: '1Gi' },
      }),
    ).toEqual({
      serviceAccountName: 'kserve-s3',
      minReplicas: 1,
      maxReplicas: 3,
      model: {
        modelFormat: { name: 'mlflow' },
        runtime: 'kserve-mlserver',
        protocolVersion: 'v2',
        storageUri: 's3://m/1',
        resources: { requests: { cpu: '500m' }, limits: { memory: '1Gi' } },
      },
    });
    expect(
      modelPredictor({
        runtime: mlserver,
        storageUri: 's3://m/1',
        resources: {},
      }).model,
    ).not.toHaveProperty('resources');
  });
});

describe('setRecord and setDeployedFor', () => {
  const record: ServedModelRecord = {
    instance: 'default',
    modelName: 'fraud',
    version: '2',
    storageUri: 's3://m/2',
    deployedAt: '2026-11-28T10:00:00.000Z',
  };

  it('writes a record as JSON and removes it when there is none', () => {
    const body = applyBodyFrom(fromCluster());
    setRecord(body, CANARY_MODEL_ANNOTATION, record);
    expect(
      JSON.parse((body.metadata as any).annotations[CANARY_MODEL_ANNOTATION]),
    ).toEqual(record);
    setRecord(body, CANARY_MODEL_ANNOTATION, undefined);
    expect((body.metadata as any).annotations).not.toHaveProperty(
      CANARY_MODEL_ANNOTATION,
    );
    const bare = { metadata: {} };
    setRecord(bare, SERVED_MODEL_ANNOTATION, record);
    expect(Object.keys((bare.metadata as any).annotations)).toEqual([
      SERVED_MODEL_ANNOTATION,
    ]);
  });

  it('adds the entity’s labels to the ones there and records the entity', () => {
    const body = applyBodyFrom(fromCluster());
    setDeployedFor(body, 'component:default/fraud', {
      'backstage.io/kubernetes-id': 'fraud',
    });
    expect(body.metadata).toMatchObject({
      labels: { team: 'fraud', 'backstage.io/kubernetes-id': 'fraud' },
      annotations: { [DEPLOYED_FOR_ANNOTATION]: 'component:default/fraud' },
    });
  });
});
