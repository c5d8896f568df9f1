import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Apply the project's Argo WorkflowTemplate into its namespace on the default cluster: the namespace must match mlops.scaffolder.kubernetesApply.namespaces and, if it exists, belong to the owner (a new one is annotated mlstack.io/owner)",
    example: yaml.stringify({
      steps: [
        {
          id: 'apply',
          action: 'mlops:kubernetes:apply',
          name: 'Apply the training pipeline',
          input: {
            namespace: 'fraud-detector',
            owner: 'group:default/ml-team',
            manifestPaths: ['k8s/workflow-template.yaml'],
          },
        },
      ],
    }),
  },
  {
    description:
      'Serve a model with KServe: an InferenceService that reads the model from S3 through a ServiceAccount with the configured S3 credentials',
    example: yaml.stringify({
      steps: [
        {
          id: 'serve',
          action: 'mlops:kubernetes:apply',
          name: 'Deploy the InferenceService',
          input: {
            cluster: 'minikube',
            namespace: 'fraud-detector',
            owner: 'group:default/ml-team',
            manifestPaths: ['k8s/inference-service.yaml'],
            s3Credentials: {
              secretName: 'fraud-detector-s3',
              serviceAccountName: 'fraud-detector-models',
            },
          },
        },
      ],
    }),
  },
];
