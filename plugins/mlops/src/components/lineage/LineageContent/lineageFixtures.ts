import type { LineageResponse } from '@mlstack/plugin-mlops-common';

/** A lineage with a full chain for v3 and a garbage-collected workflow behind v2's run. */
export const lineageResponse: LineageResponse = {
  model: 'fraud-detector',
  models: ['fraud-detector', 'fraud-detector-lite'],
  focus: {},
  versions: [
    { version: '3', aliases: ['champion'] },
    { version: '2', aliases: [] },
  ],
  nodes: [
    {
      id: 'data:a1b2c3@3f2a9c1',
      kind: 'data',
      label: 'DVC a1b2c3',
      fields: [{ label: 'git commit', value: '3f2a9c1' }],
      links: [
        {
          title: 'Repository at 3f2a9c1',
          url: 'https://github.com/acme/fraud/tree/3f2a9c1',
        },
      ],
    },
    {
      id: 'workflow:train-abc12',
      kind: 'workflow',
      label: 'train-abc12',
      status: { level: 'ok', text: 'Succeeded' },
      fields: [{ label: 'phase', value: 'Succeeded' }],
      links: [
        {
          title: 'Run detail (Pipelines)',
          entityTab: { tab: 'pipelines', query: { workflow: 'train-abc12' } },
        },
      ],
    },
    {
      id: 'run:r3',
      kind: 'run',
      label: 'train-3',
      status: { level: 'ok', text: 'FINISHED' },
      fields: [{ label: 'metric auc', value: '0.91' }],
      links: [
        {
          title: 'Run detail (MLflow tab)',
          entityTab: { tab: 'mlflow', query: { run: 'r3' } },
        },
        { title: 'Open in MLflow', url: 'http://mlflow.example.com/#/runs/r3' },
      ],
    },
    {
      id: 'version:fraud-detector/3',
      kind: 'modelVersion',
      label: 'fraud-detector v3 @champion',
      status: { level: 'ok', text: 'READY' },
      fields: [],
      links: [],
    },
    {
      id: 'service:fraud-detector',
      kind: 'inferenceService',
      label: 'fraud-detector',
      status: { level: 'ok', text: 'Ready' },
      fields: [{ label: 'stable', value: 'v3 · 100% · Ready' }],
      links: [
        { title: 'Serving tab', entityTab: { tab: 'serving', query: {} } },
      ],
    },
  ],
  edges: [
    {
      from: 'data:a1b2c3@3f2a9c1',
      to: 'workflow:train-abc12',
      label: 'trained on',
    },
    { from: 'workflow:train-abc12', to: 'run:r3', label: 'ran' },
    { from: 'run:r3', to: 'version:fraud-detector/3', label: 'logged' },
    {
      from: 'version:fraud-detector/3',
      to: 'service:fraud-detector',
      label: 'stable · 100%',
    },
  ],
  gaps: [
    {
      reason: 'workflow-not-found',
      nodeId: 'workflow:train-old',
      message:
        "Workflow train-old (tagged on run train-2) not found among the entity's Argo workflows (garbage-collected?)",
    },
    {
      reason: 'upstream-error',
      upstream: 'kserve',
      message:
        'The InferenceServices could not be read from the cluster: connect ECONNREFUSED',
    },
  ],
};
