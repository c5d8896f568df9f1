import { flowerSample, sklearnIris } from '@internal/harness';
import { parseInferenceService } from '@mlstack/plugin-mlops-node';
import { projectEntity, servedRecord } from '../__testUtils__/entities';
import { buildInferenceApiEntity } from './apiEntity';

const claimer = projectEntity({
  name: 'flowers',
  owner: 'group:default/ml-team',
  models: 'flowers-model',
  namespace: 'ml-team',
});

/** KServe's flower-sample with the status KServe gave it (status.url set, v1 protocol). */
function flowerService() {
  const { object, status } = flowerSample('ml-team');
  object.metadata.annotations = {
    'mlstack.io/served-model': JSON.stringify(
      servedRecord('main', 'flowers-model', '3'),
    ),
  };
  return parseInferenceService({ ...object, status });
}

function build(service = flowerService()) {
  return buildInferenceApiEntity({
    name: 'default-ml-team-flower-sample',
    cluster: 'default',
    service,
    instance: 'main',
    modelName: 'flowers-model',
    modelRef: 'resource:default/main-flowers-model',
    claimer,
    claimerRef: 'component:default/flowers',
    owner: 'group:default/ml-team',
  });
}

describe('buildInferenceApiEntity', () => {
  it('is an openapi API owned by the model’s owner, with the claimer’s lifecycle', () => {
    const entity = build();
    expect(entity.kind).toBe('API');
    expect(entity.spec).toMatchObject({
      type: 'openapi',
      lifecycle: 'experimental',
      owner: 'group:default/ml-team',
    });
    expect(entity.metadata.title).toBe('flower-sample (KServe v1)');
    expect(entity.metadata.description).toContain(
      'serving MLflow model flowers-model version 3',
    );
    expect(entity.metadata.annotations).toMatchObject({
      'mlstack.io/kserve-inference-service': 'flower-sample',
      'backstage.io/kubernetes-namespace': 'ml-team',
      'mlstack.io/kubernetes-cluster': 'default',
      'mlstack.io/claimed-by': 'component:default/flowers',
    });
  });

  it('documents the V1 predict endpoint at the service’s status.url', () => {
    const doc = JSON.parse(build().spec!.definition as string);
    expect(doc.openapi).toBe('3.0.3');
    expect(doc.servers).toEqual([
      { url: 'http://flower-sample.kserve-test.example.com' },
    ]);
    expect(doc.info.version).toBe('3');
    const predict = doc.paths['/v1/models/flower-sample:predict'].post;
    expect(
      predict.requestBody.content['application/json'].schema.required,
    ).toEqual(['instances']);
    expect(
      Object.keys(
        predict.responses['200'].content['application/json'].schema.properties,
      ),
    ).toEqual(['predictions']);
    expect(Object.keys(doc.paths).some(path => path.startsWith('/v2/'))).toBe(
      false,
    );
  });

  it('documents the V2 infer endpoint with named tensors for a v2 predictor, without servers when there is no status.url', () => {
    const object = sklearnIris('ml-team');
    object.spec.predictor.sklearn.protocolVersion = 'v2';
    const entity = build(parseInferenceService(object));
    const doc = JSON.parse(entity.spec!.definition as string);
    expect(doc).not.toHaveProperty('servers');
    expect(entity.metadata.title).toBe('sklearn-iris (KServe v2)');
    const infer = doc.paths['/v2/models/sklearn-iris/infer'].post;
    expect(infer.requestBody.content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/InferenceRequest',
    });
    expect(doc.components.schemas.InferenceRequest.required).toEqual([
      'inputs',
    ]);
    expect(doc.components.schemas.RequestInput.required).toEqual([
      'name',
      'shape',
      'datatype',
      'data',
    ]);
    expect(doc.components.schemas.InferenceResponse.properties).toHaveProperty(
      'outputs',
    );
    expect(Object.keys(doc.paths).some(path => path.includes(':predict'))).toBe(
      false,
    );
  });

  it('points a gRPC service at KServe’s proto instead of an OpenAPI document', () => {
    const object = sklearnIris('ml-team');
    object.spec.predictor.sklearn.protocolVersion = 'grpc-v2';
    const entity = build(parseInferenceService(object));
    expect(entity.spec?.type).toBe('grpc');
    expect(entity.spec?.definition).toContain('inference.GRPCInferenceService');
    expect(entity.metadata.tags).toContain('grpc-v2');
  });
});
