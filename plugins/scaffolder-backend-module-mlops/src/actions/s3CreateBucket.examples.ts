import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description: "Create the project's bucket, owned by the chosen group",
    example: yaml.stringify({
      steps: [
        {
          id: 'bucket',
          action: 'mlops:s3:create-bucket',
          name: 'Create S3 bucket',
          input: {
            bucket: 'ml-fraud-detector',
            owner: 'group:default/ml-team',
          },
        },
      ],
    }),
  },
  {
    description:
      'Create a bucket and hand its s3:// URL, with a prefix, to the next steps',
    example: yaml.stringify({
      steps: [
        {
          id: 'bucket',
          action: 'mlops:s3:create-bucket',
          name: 'Create S3 bucket',
          input: {
            bucket: 'ml-fraud-detector',
            owner: 'group:default/ml-team',
            prefix: 'models',
          },
        },
      ],
    }),
  },
];
