import type { ResolvedModel } from '@mlstack/plugin-mlops-common';
import type {
  DeployInput,
  KubernetesClusters,
  MlflowInstances,
} from '@mlstack/plugin-mlops-node';
import { NamespaceOwnershipConfig } from '@mlstack/plugin-mlops-node';
import yaml from 'yaml';
import { fakePermissions, recordingAuditor } from '../__testUtils__/auditor';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createKserveDeployAction } from './kserveDeploy';
import { examples } from './kserveDeploy.examples';

const model: ResolvedModel = {
  instance: 'default',
  modelName: 'fraud-detector',
  version: '3',
  storageUri: 's3://mlflow-artifacts/1/models/m-1/artifacts',
  flavors: ['sklearn'],
  runtime: {
    name: 'kserve-sklearnserver',
    modelFormat: 'sklearn',
    protocolVersion: 'v2',
    flavors: ['sklearn'],
  },
  deployedAt: '2025-01-01T00:00:00.000Z',
};

describe('mlops:kserve:deploy examples', () => {
  it.each(examples.map((e, i) => [e.description, i] as const))(
    '%s',
    async (_description, index) => {
      const deploys: DeployInput[] = [];
      const action = createKserveDeployAction({
        clusters: () =>
          ({
            get: (name: string) => ({
              name,
              readNamespaceMetadata: async () => ({
                labels: {},
                annotations: { 'mlstack.io/owner': 'group:default/ml-team' },
              }),
            }),
          } as unknown as KubernetesClusters),
        mlflow: {
          get: () => ({
            name: 'default',
            getRegisteredModelTags: async () => ({
              'mlstack.io/owner': 'group:default/ml-team',
            }),
            getExperiment: async () => ({
              name: 'fraud-detector',
              tags: { 'mlstack.io/owner': 'group:default/ml-team' },
            }),
          }),
        } as unknown as MlflowInstances,
        targets: [
          {
            cluster: 'default',
            namespace: 'fraud-detection',
            modes: ['Standard', 'Knative'],
            serviceAccountNames: [],
          },
        ],
        ownership: new NamespaceOwnershipConfig([]),
        strictOwnership: false,
        initiator: testInitiator({ memberOf: ['group:default/ml-team'] }),
        permissions: fakePermissions(),
        auditor: recordingAuditor(),
        deployer: () => ({
          readService: async () => undefined,
          async resolveModel(_source, opts) {
            await opts.checkOrigin({ modelName: 'fraud-detector' });
            return model;
          },
          async deploy(input, opts) {
            deploys.push(input);
            return {
              plan: {
                action: input.canaryTrafficPercent > 0 ? 'canary' : 'create',
                manifest: {},
                previous: {},
                notes: [],
              },
              model: opts.model,
              after: { metadata: { name: input.serviceName } },
            };
          },
          retag: async () => ({ written: [], removed: [], failed: [] }),
        }),
      });
      const step = yaml.parse(examples[index].example).steps[0];
      expect(step.action).toBe(action.id);
      const { ctx, outputs } = createActionContext({ input: step.input });
      await action.handler(ctx);
      expect(deploys).toHaveLength(2);
      expect(deploys[1]).toMatchObject({
        namespace: step.input.namespace,
        serviceName: step.input.serviceName,
      });
      expect(outputs).toMatchObject({
        serviceName: step.input.serviceName,
        namespace: step.input.namespace,
        storageUri: model.storageUri,
      });
    },
  );
});
