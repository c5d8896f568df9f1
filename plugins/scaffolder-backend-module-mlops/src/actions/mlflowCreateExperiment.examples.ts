import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      'Create the experiment of a new project on the default instance',
    example: yaml.stringify({
      steps: [
        {
          id: 'experiment',
          action: 'mlops:mlflow:create-experiment',
          name: 'Create MLflow experiment',
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
      "Create an experiment on a named instance, with its artifacts in the project's bucket and extra tags",
    example: yaml.stringify({
      steps: [
        {
          id: 'experiment',
          action: 'mlops:mlflow:create-experiment',
          name: 'Create MLflow experiment',
          input: {
            name: 'fraud-detector',
            owner: 'group:default/ml-team',
            instance: 'default',
            artifactLocation: 's3://ml-fraud-detector/mlflow',
            tags: {
              'backstage.io/component': 'component:default/fraud-detector',
            },
          },
        },
      ],
    }),
  },
];
