import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Claim the registered model of a new project on the default instance, before its first version',
    example: yaml.stringify({
      steps: [
        {
          id: 'registered-model',
          action: 'mlops:mlflow:create-registered-model',
          name: 'Create MLflow registered model',
          input: {
            name: 'fraud-detector',
            owner: 'group:default/ml-team',
          },
        },
      ],
    }),
  },
  {
    description:
      'Create a registered model on a named instance, with a description and extra tags',
    example: yaml.stringify({
      steps: [
        {
          id: 'registered-model',
          action: 'mlops:mlflow:create-registered-model',
          name: 'Create MLflow registered model',
          input: {
            name: 'fraud-detector',
            owner: 'group:default/ml-team',
            instance: 'default',
            description: 'Scores card transactions for fraud',
            tags: {
              'mlstack.io/catalog-entity': 'component:default/fraud-detector',
            },
          },
        },
      ],
    }),
  },
];
