import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import {
  InferenceServiceSummary,
  KSERVE_INFERENCE_SERVICE_ANNOTATION,
  KUBERNETES_CLUSTER_ANNOTATION,
  KUBERNETES_NAMESPACE_ANNOTATION,
  MLFLOW_INSTANCE_ANNOTATION,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import { buildPredictOpenApi, restProtocolOf } from '../openapi/predictOpenApi';
import { CLAIMED_BY_ANNOTATION } from './annotations';

/** KServe's gRPC predict service (Open Inference Protocol), for services that speak gRPC. */
const GRPC_PROTO_URL =
  'https://github.com/kserve/kserve/blob/master/docs/predict-api/v2/grpc_predict_v2.proto';

export interface InferenceApiEntityInput {
  /** The entity name the namer gave the service. */
  name: string;
  cluster: string;
  service: InferenceServiceSummary;
  instance: string;
  modelName: string;
  /** The model entity's ref, which provides the API. */
  modelRef: string;
  claimer: Entity;
  claimerRef: string;
  owner: string;
}

function servedVersion(input: InferenceApiEntityInput): string | undefined {
  const { servedModel, canaryModel } = input.service;
  const versions = [servedModel, canaryModel]
    .filter(
      record =>
        record?.instance === input.instance &&
        record.modelName === input.modelName &&
        record.version,
    )
    .map(record => record!.version!);
  return versions.length > 0 ? versions.join(', ') : undefined;
}

function definitionOf(
  input: InferenceApiEntityInput,
  title: string,
  description: string,
): { type: string; definition: string } {
  const { service } = input;
  const protocol = restProtocolOf(service.predictor.protocolVersion);
  if (!protocol) {
    return {
      type: 'grpc',
      definition: [
        `// ${service.name} speaks ${service.predictor.protocolVersion}: KServe's gRPC predict API,`,
        `// service inference.GRPCInferenceService, rpc ModelInfer, model name "${service.name}".`,
        `// The full definition is ${GRPC_PROTO_URL}`,
      ].join('\n'),
    };
  }
  return {
    type: 'openapi',
    definition: JSON.stringify(
      buildPredictOpenApi({
        protocol,
        modelName: service.name,
        serverUrl: service.url,
        title,
        description,
        version: servedVersion(input),
      }),
      null,
      2,
    ),
  };
}

/**
 * The `API` entity of an InferenceService serving a model: how to call its predict endpoint
 * (an OpenAPI document for the V1 or V2 protocol; a pointer to KServe's proto for gRPC), owned
 * by the model's owner, listed by the model entity in `spec.providesApis`.
 */
export function buildInferenceApiEntity(
  input: InferenceApiEntityInput,
): Entity {
  const { service, claimer } = input;
  const protocol = service.predictor.protocolVersion ?? 'v1';
  const version = servedVersion(input);
  const title = `${service.name} (KServe ${protocol})`;
  const description = `Predict endpoint of the KServe InferenceService ${
    service.namespace
  }/${service.name} on cluster ${input.cluster}, serving MLflow model ${
    input.modelName
  }${version ? ` version ${version}` : ''} (instance ${input.instance}).`;
  const location = `kserve:${input.cluster}/${service.namespace}/${service.name}`;
  const system = claimer.spec?.system;
  const lifecycle = claimer.spec?.lifecycle;
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: {
      name: input.name,
      namespace: claimer.metadata.namespace ?? 'default',
      title,
      description,
      tags: ['kserve', 'inference', protocol.toLowerCase()],
      ...(service.url
        ? { links: [{ url: service.url, title: 'Service URL', icon: 'cloud' }] }
        : {}),
      annotations: {
        [ANNOTATION_LOCATION]: location,
        [ANNOTATION_ORIGIN_LOCATION]: location,
        [KUBERNETES_NAMESPACE_ANNOTATION]: service.namespace,
        [KUBERNETES_CLUSTER_ANNOTATION]: input.cluster,
        [KSERVE_INFERENCE_SERVICE_ANNOTATION]: service.name,
        [MLFLOW_REGISTERED_MODEL_ANNOTATION]: input.modelName,
        [MLFLOW_INSTANCE_ANNOTATION]: input.instance,
        [CLAIMED_BY_ANNOTATION]: input.claimerRef,
      },
    },
    spec: {
      ...definitionOf(input, title, description),
      lifecycle:
        typeof lifecycle === 'string' && lifecycle ? lifecycle : 'production',
      owner: input.owner,
      ...(typeof system === 'string' && system ? { system } : {}),
    },
  };
}
