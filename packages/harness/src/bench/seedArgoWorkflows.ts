/**
 * Seeds the harness API server with N Argo Workflows (default 2,000) in one namespace, made
 * from the real controller objects in third_party/argo-workflows/examples/workflows-with-status
 * (spec, status with nodes, as the controller writes them; relabelled by relabelUpstreamObject),
 * applied server-side so they carry managedFields like objects in a real cluster. Skips the work
 * when the namespace already holds that many. Prints the namespace and the count (JSON).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/seedArgoWorkflows.ts \
 *     --kubeconfig FILE [--namespace bench-argo] [--count 2000] [--label KEY=VALUE] [--concurrency 16]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import * as k8s from '@kubernetes/client-node';
import { loadUpstreamFixtures, upstreamFixturePath } from '../upstreamFixtures';
import {
  type KubeObject,
  relabelUpstreamObject,
  rfc3339,
  withoutNulls,
} from '../upstreamRelabel';
import { requireOptions, runMain } from '../cli';
import { isStatus } from '../seed/seedCluster';

const EXAMPLES = 'argo-workflows/examples/workflows-with-status';

/** Every upstream workflow with a status, in file order. */
export function upstreamWorkflowsWithStatus(): KubeObject[] {
  return fs
    .readdirSync(upstreamFixturePath(EXAMPLES))
    .filter(f => f.endsWith('.yaml'))
    .sort()
    .flatMap(f => loadUpstreamFixtures(`${EXAMPLES}/${f}`));
}

/**
 * The i-th bench workflow: the (i mod n)-th example named `<its generateName>NNNNN`, labelled,
 * started i minutes after 2026-01-01 and finished 95 s later.
 */
export function benchWorkflow(
  examples: KubeObject[],
  i: number,
  namespace: string,
  labels: Record<string, string>,
): KubeObject {
  const example = withoutNulls(examples[i % examples.length]);
  const base = example.metadata.generateName ?? `${example.metadata.name}-`;
  const workflow = relabelUpstreamObject(
    { apiVersion: 'argoproj.io/v1alpha1', kind: 'Workflow', ...example },
    { namespace, labels, name: `${base}${String(i).padStart(5, '0')}` },
  );
  const started = Date.UTC(2026, 0, 1) + i * 60_000;
  workflow.status = {
    ...workflow.status,
    startedAt: rfc3339(started),
    finishedAt: rfc3339(started + 95_000),
  };
  return workflow;
}

/** How many workflows match the selector in the namespace (the API server gives no count with a selector). */
async function countWorkflows(
  custom: k8s.CustomObjectsApi,
  namespace: string,
  labelSelector: string,
): Promise<number> {
  let total = 0;
  let continueToken: string | undefined;
  do {
    const list = await custom.listNamespacedCustomObject({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural: 'workflows',
      labelSelector,
      limit: 500,
      _continue: continueToken,
    });
    total += list.items?.length ?? 0;
    continueToken = list.metadata?.continue || undefined;
  } while (continueToken);
  return total;
}

async function main() {
  const { values } = parseArgs({
    options: {
      kubeconfig: { type: 'string' },
      namespace: { type: 'string', default: 'bench-argo' },
      count: { type: 'string', default: '2000' },
      label: {
        type: 'string',
        default: 'app.kubernetes.io/part-of=bench-project',
      },
      concurrency: { type: 'string', default: '16' },
    },
  });
  const args = requireOptions(values, ['kubeconfig']);
  const count = Number(args.count);
  const [labelKey, labelValue] = args.label.split('=');
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(args.kubeconfig);
  const objects = k8s.KubernetesObjectApi.makeApiClient(kc);
  const custom = kc.makeApiClient(k8s.CustomObjectsApi);
  const core = kc.makeApiClient(k8s.CoreV1Api);
  const examples = upstreamWorkflowsWithStatus();

  await core
    .createNamespace({ body: { metadata: { name: args.namespace } } })
    .catch(e => {
      if (!isStatus(e, 409)) throw e;
    });
  const have = await countWorkflows(custom, args.namespace, args.label);
  if (have >= count) {
    console.log(
      JSON.stringify({ namespace: args.namespace, workflows: have, seeded: 0 }),
    );
    return;
  }
  let next = 0;
  async function worker() {
    while (next < count) {
      const i = next++;
      await objects.patch(
        benchWorkflow(examples, i, args.namespace, { [labelKey]: labelValue }),
        undefined,
        undefined,
        'mlstack-bench',
        true,
        k8s.PatchStrategy.ServerSideApply,
      );
    }
  }
  await Promise.all(Array.from({ length: Number(args.concurrency) }, worker));
  console.log(
    JSON.stringify({
      namespace: args.namespace,
      workflows: count,
      seeded: count - have,
    }),
  );
}

if (require.main === module) {
  runMain(main);
}
