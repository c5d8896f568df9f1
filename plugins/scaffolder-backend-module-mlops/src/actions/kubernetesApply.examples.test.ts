import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import {
  KubernetesClusters,
  NamespaceOwnershipConfig,
} from '@mlstack/plugin-mlops-node';
import { setupServer } from 'msw/node';
import yaml from 'yaml';
import { FAKE_SERVER, fakeKubernetes } from '../__testUtils__/fakeKubernetes';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { readScaffolderSettings } from '../lib/settings';
import { createKubernetesApplyAction } from './kubernetesApply';
import { examples } from './kubernetesApply.examples';

const server = setupServer();
registerMswTestHooks(server);

const clusters = KubernetesClusters.fromConfig(
  new ConfigReader({
    mlops: {
      kubernetes: {
        clusters: ['default', 'minikube'].map(name => ({
          name,
          url: FAKE_SERVER,
          serviceAccountToken: 't',
        })),
      },
    },
  }),
  { env: {} },
);
const action = createKubernetesApplyAction({
  clusters: () => clusters,
  s3: {
    endpoint: 'http://minio.minio.svc:9000',
    region: 'us-east-1',
    accessKeyId: 'a',
    secretAccessKey: 'b',
    forcePathStyle: true,
  },
  policy: readScaffolderSettings(
    new ConfigReader({
      mlops: {
        scaffolder: {
          kubernetesApply: { namespaces: [{ patterns: ['fraud-*'] }] },
        },
      },
    }),
  ).kubernetesApply,
  ownership: new NamespaceOwnershipConfig([]),
  initiator: testInitiator({ memberOf: ['group:default/ml-team'] }),
});

const mockDir = createMockDirectory({
  content: {
    'k8s/workflow-template.yaml': yaml.stringify({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: { name: 'train' },
      spec: { entrypoint: 'main', templates: [{ name: 'main' }] },
    }),
    'k8s/inference-service.yaml': yaml.stringify({
      apiVersion: 'serving.kserve.io/v1beta1',
      kind: 'InferenceService',
      metadata: { name: 'fraud-detector' },
      spec: {
        predictor: {
          serviceAccountName: 'fraud-detector-models',
          model: { modelFormat: { name: 'sklearn' }, storageUri: 's3://b/m' },
        },
      },
    }),
  },
});

describe('mlops:kubernetes:apply examples', () => {
  it('applies the WorkflowTemplate of example 1', async () => {
    const { objects } = fakeKubernetes(server);
    const step = yaml.parse(examples[0].example).steps[0];
    expect(step.action).toBe(action.id);
    const { ctx, outputs } = createActionContext({
      input: step.input,
      workspacePath: mockDir.path,
    });
    await action.handler(ctx);
    expect(outputs.applied).toEqual([
      expect.objectContaining({ kind: 'Namespace', result: 'created' }),
      expect.objectContaining({
        kind: 'WorkflowTemplate',
        name: 'train',
        namespace: 'fraud-detector',
        result: 'created',
      }),
    ]);
    expect(
      objects.get('/api/v1/namespaces/fraud-detector').metadata.annotations,
    ).toEqual({ 'mlstack.io/owner': 'group:default/ml-team' });
    expect([...objects.keys()].sort()).toEqual([
      '/api/v1/namespaces/fraud-detector',
      '/apis/argoproj.io/v1alpha1/namespaces/fraud-detector/workflowtemplates/train',
    ]);
  });

  it('applies the InferenceService with S3 credentials of example 2', async () => {
    const { objects } = fakeKubernetes(server);
    const step = yaml.parse(examples[1].example).steps[0];
    const { ctx, outputs } = createActionContext({
      input: step.input,
      workspacePath: mockDir.path,
    });
    await action.handler(ctx);
    expect(
      (outputs.applied as any[]).map(a => `${a.kind}/${a.name}:${a.result}`),
    ).toEqual([
      'Namespace/fraud-detector:created',
      'Secret/fraud-detector-s3:created',
      'ServiceAccount/fraud-detector-models:created',
      'InferenceService/fraud-detector:created',
    ]);
    expect(objects.size).toBe(4);
  });
});
