/**
 * OpenAPI 3 documents of the predict endpoint of a KServe InferenceService, for the protocol it
 * speaks: KServe's V1 protocol (`POST /v1/models/<name>:predict`, `{instances}` →
 * `{predictions}`) or the V2 Open Inference Protocol (`POST /v2/models/<name>/infer`, named
 * tensors in `inputs`/`outputs`). KServe serves a predictor's model under the
 * InferenceService's name.
 */

/** The REST protocols an InferenceService speaks; gRPC ones have no REST predict endpoint. */
export type RestInferenceProtocol = 'v1' | 'v2';

export interface PredictOpenApiOptions {
  protocol: RestInferenceProtocol;
  /** The model's name in the URL: the InferenceService's name. */
  modelName: string;
  /** `status.url` of the service, when KServe reported one. */
  serverUrl?: string;
  title: string;
  description: string;
  /** `info.version`: the served model version, when known. */
  version?: string;
}

type Json = Record<string, unknown>;

const ERROR_RESPONSE: Json = {
  description: 'The model server refused the request or failed',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        properties: { error: { type: 'string' } },
      },
    },
  },
};

function jsonBody(schema: Json, description: string): Json {
  return { description, content: { 'application/json': { schema } } };
}

function v1Paths(name: string): Json {
  return {
    [`/v1/models/${name}`]: {
      get: {
        operationId: 'modelReady',
        summary: 'Whether the model is loaded and ready',
        responses: {
          '200': jsonBody(
            {
              type: 'object',
              properties: {
                name: { type: 'string' },
                ready: { type: 'boolean' },
              },
            },
            'The model is ready',
          ),
        },
      },
    },
    [`/v1/models/${name}:predict`]: {
      post: {
        operationId: 'predict',
        summary: 'Predict (KServe V1 protocol)',
        requestBody: {
          required: true,
          ...jsonBody(
            {
              type: 'object',
              required: ['instances'],
              properties: {
                instances: {
                  type: 'array',
                  description:
                    'One entry per input row, in the shape the model expects (e.g. a list of feature values)',
                  items: {},
                },
              },
            },
            'The rows to predict',
          ),
        },
        responses: {
          '200': jsonBody(
            {
              type: 'object',
              properties: {
                predictions: {
                  type: 'array',
                  description: 'One prediction per instance, in order',
                  items: {},
                },
              },
            },
            'The predictions',
          ),
          '400': ERROR_RESPONSE,
          '500': ERROR_RESPONSE,
        },
      },
    },
  };
}

const TENSOR_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
];

/** The Open Inference Protocol's schemas (kserve/docs/predict-api/v2/rest_predict_v2.yaml). */
const V2_SCHEMAS: Json = {
  Parameters: { type: 'object', additionalProperties: true },
  RequestInput: {
    type: 'object',
    required: ['name', 'shape', 'datatype', 'data'],
    properties: {
      name: { type: 'string' },
      shape: { type: 'array', items: { type: 'integer' } },
      datatype: { type: 'string', enum: TENSOR_DATATYPES },
      parameters: { $ref: '#/components/schemas/Parameters' },
      data: { type: 'array', items: {} },
    },
  },
  RequestOutput: {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string' },
      parameters: { $ref: '#/components/schemas/Parameters' },
    },
  },
  InferenceRequest: {
    type: 'object',
    required: ['inputs'],
    properties: {
      id: { type: 'string' },
      parameters: { $ref: '#/components/schemas/Parameters' },
      inputs: {
        type: 'array',
        items: { $ref: '#/components/schemas/RequestInput' },
      },
      outputs: {
        type: 'array',
        items: { $ref: '#/components/schemas/RequestOutput' },
      },
    },
  },
  ResponseOutput: {
    type: 'object',
    required: ['name', 'shape', 'datatype', 'data'],
    properties: {
      name: { type: 'string' },
      shape: { type: 'array', items: { type: 'integer' } },
      datatype: { type: 'string', enum: TENSOR_DATATYPES },
      parameters: { $ref: '#/components/schemas/Parameters' },
      data: { type: 'array', items: {} },
    },
  },
  InferenceResponse: {
    type: 'object',
    required: ['model_name', 'outputs'],
    properties: {
      model_name: { type: 'string' },
      model_version: { type: 'string' },
      id: { type: 'string' },
      parameters: { $ref: '#/components/schemas/Parameters' },
      outputs: {
        type: 'array',
        items: { $ref: '#/components/schemas/ResponseOutput' },
      },
    },
  },
};

function v2Paths(name: string): Json {
  return {
    [`/v2/models/${name}/ready`]: {
      get: {
        operationId: 'modelReady',
        summary: 'Whether the model is ready (200) or not',
        responses: { '200': { description: 'The model is ready' } },
      },
    },
    [`/v2/models/${name}/infer`]: {
      post: {
        operationId: 'infer',
        summary: 'Inference (V2 / Open Inference Protocol)',
        requestBody: {
          required: true,
          ...jsonBody(
            { $ref: '#/components/schemas/InferenceRequest' },
            'Named input tensors',
          ),
        },
        responses: {
          '200': jsonBody(
            { $ref: '#/components/schemas/InferenceResponse' },
            'Named output tensors',
          ),
          '400': ERROR_RESPONSE,
          '500': ERROR_RESPONSE,
        },
      },
    },
  };
}

/**
 * The OpenAPI 3.0 document, as an object.
 *
 * @public
 */
export function buildPredictOpenApi(options: PredictOpenApiOptions): Json {
  const name = encodeURIComponent(options.modelName);
  return {
    openapi: '3.0.3',
    info: {
      title: options.title,
      description: options.description,
      version: options.version ?? 'unknown',
    },
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    paths: options.protocol === 'v1' ? v1Paths(name) : v2Paths(name),
    ...(options.protocol === 'v2'
      ? { components: { schemas: V2_SCHEMAS } }
      : {}),
  };
}

/**
 * The REST protocol of a predictor's `protocolVersion` (KServe assumes v1 when absent); undefined
 * for the gRPC protocols.
 */
export function restProtocolOf(
  protocolVersion: string | undefined,
): RestInferenceProtocol | undefined {
  const value = (protocolVersion ?? 'v1').trim().toLowerCase();
  if (value === 'v1' || value === 'v2') {
    return value;
  }
  return undefined;
}
