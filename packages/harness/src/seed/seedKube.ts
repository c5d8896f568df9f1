/**
 * Seeds the harness Kubernetes API server with the Argo Workflows and KServe objects of the
 * example ML project (catalog-info.yaml: fraud-detector), so its Pipelines and Serving tabs
 * have something to show. There is no Argo or KServe controller in the harness: the objects
 * carry the statuses recorded upstream (third_party/*\/examples), relabelled for the entity
 * and moved to recent times (upstreamRelabel.ts).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/seed/seedKube.ts \
 *     [--kubeconfig FILE] [--context NAME] [--namespace NS] [--owner REF]
 *
 * Run from the repository root. The kubeconfig defaults to $KUBECONFIG, else
 * $MLSTACK_HARNESS_DIR/kubeconfig, else .tools/harness/kubeconfig (what
 * scripts/harness/harness.sh writes). Re-running replaces the objects. Prints a JSON summary of
 * what it created on stdout, its steps on stderr.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { harnessStatePath } from '../harnessState';
import { runMain } from '../cli';
import { servingInferenceService } from './exampleInferenceService';
import {
  ENTITY,
  PART_OF,
  TEMPLATE,
  failedRetriesWorkflow,
  runningWorkflow,
  succeededWorkflow,
  trainingTemplate,
} from './exampleWorkflows';
import { ARGO, KSERVE, SeedCluster, kubeErrorMessage } from './seedCluster';
import { sweepWorkflow } from './sweepWorkflow';

/** What the seeder prints: the names of what it created (e2e tests read it). */
export interface KubeSeedSummary {
  namespace: string;
  workflowTemplates: string[];
  workflows: {
    succeeded?: string;
    running?: string;
    failed?: string;
    large?: string;
  };
  inferenceServices: string[];
}

/** Creates (or replaces) the example project's objects in the cluster's namespace. */
export async function seedExampleProject(
  cluster: SeedCluster,
  owner: string,
  now = Date.now(),
): Promise<KubeSeedSummary> {
  const ns = cluster.namespace;
  const summary: KubeSeedSummary = {
    namespace: ns,
    workflowTemplates: [],
    workflows: {},
    inferenceServices: [],
  };
  await cluster.ensureOwnedNamespace(owner, PART_OF);

  await cluster.replaceCustomObject(
    ARGO,
    'workflowtemplates',
    trainingTemplate(ns),
  );
  summary.workflowTemplates.push(TEMPLATE);

  const workflows = [
    ['succeeded', succeededWorkflow(ns, now)],
    ['running', runningWorkflow(ns, now)],
    ['failed', failedRetriesWorkflow(ns, now)],
    ['large', sweepWorkflow(ns, now)],
  ] as const;
  for (const [role, workflow] of workflows) {
    await cluster.replaceCustomObject(ARGO, 'workflows', workflow);
    summary.workflows[role] = workflow.metadata.name;
  }

  await cluster.replaceCustomObject(
    KSERVE,
    'inferenceservices',
    servingInferenceService(ns, now),
    { statusSubresource: true },
  );
  summary.inferenceServices.push(ENTITY);
  return summary;
}

function log(message: string) {
  process.stderr.write(`seed_kube: ${message}\n`);
}

async function main() {
  const { values: args } = parseArgs({
    options: {
      kubeconfig: {
        type: 'string',
        default:
          process.env.KUBECONFIG ??
          path.join(path.dirname(harnessStatePath()), 'kubeconfig'),
      },
      context: { type: 'string' },
      namespace: { type: 'string', default: 'ml-projects' },
      // The example project's owner (catalog-info.yaml), as mlops:kubernetes:apply records it.
      owner: { type: 'string', default: 'group:default/ml-team' },
    },
  });
  const cluster = new SeedCluster(
    args.kubeconfig,
    args.context,
    args.namespace,
    log,
  );
  const summary = await seedExampleProject(cluster, args.owner);
  process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
}

if (require.main === module) {
  runMain(main, error =>
    log(`failed: ${kubeErrorMessage(error).slice(0, 2000)}`),
  );
}
