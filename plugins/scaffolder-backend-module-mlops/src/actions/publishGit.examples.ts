import type { TemplateExample } from '@backstage/plugin-scaffolder-node';
import yaml from 'yaml';

export const examples: TemplateExample[] = [
  {
    description:
      "Publish the workspace to a new bare repository on the backend (its parent must be in mlops.git.allowedRoots), recorded as the owner's",
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'mlops:publish:git',
          name: 'Publish to Git',
          input: {
            remoteUrl: '/srv/git/fraud-detector.git',
            owner: 'group:default/ml-team',
          },
        },
      ],
    }),
  },
  {
    description:
      'Publish a subdirectory of the workspace to a given branch, with its own message and author',
    example: yaml.stringify({
      steps: [
        {
          id: 'publish',
          action: 'mlops:publish:git',
          name: 'Publish to Git',
          input: {
            remoteUrl: 'file:///srv/git/fraud-detector.git',
            owner: 'group:default/ml-team',
            defaultBranch: 'trunk',
            sourcePath: 'repo',
            commitMessage: 'Project created from the ML project template',
            gitAuthorName: 'ML Platform',
            gitAuthorEmail: 'ml-platform@example.com',
          },
        },
      ],
    }),
  },
];
