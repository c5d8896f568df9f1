import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Deploy the registered model's champion to a new InferenceService (Standard mode)",
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'mlops:kserve:deploy',
          name: 'Deploy to KServe',
          input: {
            entityRef: 'component:default/fraud-detector',
            owner: 'group:default/ml-team',
            source: { modelName: 'fraud-detector', alias: 'champion' },
            cluster: 'default',
            namespace: 'fraud-detection',
            serviceName: 'fraud-detector',
            mode: 'Standard',
            resources: {
              cpuRequest: '100m',
              cpuLimit: '1',
              memoryRequest: '256Mi',
              memoryLimit: '1Gi',
            },
            minReplicas: 1,
            maxReplicas: 2,
          },
        },
      ],
    }),
  },
  {
    description:
      'Start a canary of version 3 with 10 % of the traffic beside the served version',
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'mlops:kserve:deploy',
          name: 'Canary on KServe',
          input: {
            entityRef: 'component:default/fraud-detector',
            owner: 'group:default/ml-team',
            source: { modelName: 'fraud-detector', version: '3' },
            cluster: 'default',
            namespace: 'fraud-detection',
            serviceName: 'fraud-detector',
            canaryTrafficPercent: 10,
            mlflowInstance: 'default',
          },
        },
      ],
    }),
  },
  {
    description:
      "Deploy a run's logged model (MLflow 3) with a chosen runtime, serverless (Knative)",
    example: yaml.stringify({
      steps: [
        {
          id: 'deploy',
          action: 'mlops:kserve:deploy',
          name: 'Deploy a logged model',
          input: {
            entityRef: 'component:default/fraud-detector',
            owner: 'group:default/ml-team',
            source: { loggedModelId: 'm-0123456789abcdef0123456789abcdef' },
            cluster: 'default',
            namespace: 'fraud-detection',
            serviceName: 'fraud-detector-trial',
            mode: 'Knative',
            runtime: 'kserve-mlserver',
            minReplicas: 0,
          },
        },
      ],
    }),
  },
];
