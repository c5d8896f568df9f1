import { upstreamDiamondWorkflow } from '../upstreamObjects';
import {
  type KubeObject,
  relabelUpstreamObject,
  rfc3339,
} from '../upstreamRelabel';
import { ENTITY, minutes, workflowLabels } from './exampleWorkflows';

/**
 * A 500-node DAG (a sharded sweep), started 20 minutes before `now`; five shards failed. Not from
 * upstream: generated in the shape Argo records a DAG (root DAG node, Pod tasks with their
 * children), to show that a large run stays usable.
 */
export function sweepWorkflow(namespace: string, now: number): KubeObject {
  const name = `${ENTITY}-sweep-5h2lq`;
  const count = 500;
  const width = 20;
  const start = now - minutes(20);
  const at = (seconds: number) => rfc3339(start + seconds * 1000);
  const failed = new Set([97, 194, 291, 388, 485]);
  const nodes: Record<string, KubeObject> = {};
  nodes[name] = {
    id: name,
    name,
    displayName: name,
    type: 'DAG',
    templateName: 'sweep',
    phase: 'Failed',
    startedAt: at(0),
    finishedAt: at(600),
    progress: `${count - 1 - failed.size}/${count - 1}`,
    children: [],
  };
  for (let i = 1; i < count; i++) {
    const id = `${name}-${i}`;
    const layer = Math.floor((i - 1) / width);
    nodes[id] = {
      id,
      name: `${name}.shard-${i}`,
      displayName: `shard-${i}`,
      type: 'Pod',
      templateName: 'echo',
      boundaryID: name,
      phase: failed.has(i) ? 'Failed' : 'Succeeded',
      message: failed.has(i) ? 'Error (exit code 1)' : undefined,
      startedAt: at(layer * 24),
      finishedAt: at(layer * 24 + 20),
      progress: '1/1',
      inputs: { parameters: [{ name: 'message', value: `shard ${i}` }] },
      outputs: { exitCode: failed.has(i) ? '1' : '0' },
    };
    const parent = i <= width ? name : `${name}-${i - width}`;
    (nodes[parent].children ??= []).push(id);
  }
  const sweep = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Workflow',
    metadata: { name, labels: workflowLabels('Failed') },
    spec: {
      entrypoint: 'sweep',
      arguments: { parameters: [{ name: 'run-name', value: 'sweep-500' }] },
      templates: [
        {
          name: 'sweep',
          dag: { tasks: [{ name: 'shard', template: 'echo' }] },
        },
        ...upstreamDiamondWorkflow().spec.templates.filter(
          (t: KubeObject) => t.name === 'echo',
        ),
      ],
    },
    status: {
      phase: 'Failed',
      startedAt: at(0),
      finishedAt: at(600),
      progress: nodes[name].progress,
      message: `child '${name}-97' failed`,
      nodes,
    },
  };
  return relabelUpstreamObject(sweep, {
    namespace,
    labels: workflowLabels('Failed'),
  });
}
