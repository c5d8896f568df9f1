/*
 * deploy/minikube RBAC, evaluated by the real authorizer: the service accounts and roles of
 * base/ml-projects and base/portal are applied (for real) to the harness API server, which
 * runs with RBAC authorization, then `kubectl auth can-i --as=system:serviceaccount:...`
 * asks it about every verb each identity needs and a set it must not have.
 */
import {
  canI,
  deployPath,
  ensureStackNamespaces,
  kubectlOk,
  kustomize,
} from './kubectl';

jest.setTimeout(120_000);

const PROJECTS = 'ml-projects';
const PORTAL = 'mlstack-portal:mlstack-portal';
const DEPLOYER = `${PROJECTS}:pipeline-deployer`;
const RUNNER = `${PROJECTS}:pipeline-runner`;
const PREDICTOR = `${PROJECTS}:kserve-s3`;

type Check = [
  verb: string,
  resource: string,
  options?: { namespace?: string; subresource?: string },
];

const inProjects = { namespace: PROJECTS };

/**
 * Argo's executor writes WorkflowTaskResults. The harness serves the Argo CRDs the portal
 * reads but not this internal one, and `kubectl auth can-i` needs the resource in discovery
 * to send its API group: a stub CRD with upstream's group, names and scope (v4.1.2,
 * manifests/base/crds/minimal/argoproj.io_workflowtaskresults.yaml) provides that.
 */
const WORKFLOW_TASK_RESULTS_CRD = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'workflowtaskresults.argoproj.io' },
  spec: {
    group: 'argoproj.io',
    names: {
      kind: 'WorkflowTaskResult',
      listKind: 'WorkflowTaskResultList',
      plural: 'workflowtaskresults',
      singular: 'workflowtaskresult',
    },
    scope: 'Namespaced',
    versions: [
      {
        name: 'v1alpha1',
        served: true,
        storage: true,
        schema: {
          openAPIV3Schema: {
            type: 'object',
            'x-kubernetes-preserve-unknown-fields': true,
          },
        },
      },
    ],
  },
};

/** The authorizer's answer to each check, keyed by a readable form of the check. */
async function ask(
  serviceAccount: string,
  checks: Check[],
): Promise<Record<string, boolean>> {
  const answers = await Promise.all(
    checks.map(async ([verb, resource, options]) => [
      [
        verb,
        resource,
        options?.subresource ? `(${options.subresource})` : '',
        options?.namespace ? `-n ${options.namespace}` : '(cluster-wide)',
      ]
        .filter(Boolean)
        .join(' '),
      await canI(serviceAccount, verb, resource, options),
    ]),
  );
  return Object.fromEntries(answers);
}

/** The same keys, every answer `value`: what the test expects. */
function all(
  answers: Record<string, boolean>,
  value: boolean,
): Record<string, boolean> {
  return Object.fromEntries(Object.keys(answers).map(k => [k, value]));
}

describe('deploy/minikube RBAC (kubectl auth can-i against the harness)', () => {
  beforeAll(async () => {
    await ensureStackNamespaces();
    const crdExists = await kubectlOk([
      'get',
      'crd',
      '--ignore-not-found',
      '-o',
      'name',
      WORKFLOW_TASK_RESULTS_CRD.metadata.name,
    ]);
    if (!crdExists.trim()) {
      await kubectlOk(
        ['apply', '--server-side', '-f', '-'],
        JSON.stringify(WORKFLOW_TASK_RESULTS_CRD),
      );
      await kubectlOk([
        'wait',
        '--for=condition=established',
        '--timeout=60s',
        `crd/${WORKFLOW_TASK_RESULTS_CRD.metadata.name}`,
      ]);
    }
    for (const dir of ['ml-projects', 'portal']) {
      await kubectlOk(
        ['apply', '--server-side', '-f', '-'],
        await kustomize(deployPath('base', dir)),
      );
    }
  });

  describe('the portal (mlstack-portal/mlstack-portal)', () => {
    it('may do everything the portal does in ml-projects', async () => {
      const answers = await ask(PORTAL, [
        // Pipelines: list/watch runs, submit/resubmit (create), stop/terminate (patch),
        // retry (update, and delete the failed steps' pods).
        ['get', 'workflows.argoproj.io', inProjects],
        ['list', 'workflows.argoproj.io', inProjects],
        ['watch', 'workflows.argoproj.io', inProjects],
        ['create', 'workflows.argoproj.io', inProjects],
        ['patch', 'workflows.argoproj.io', inProjects],
        ['update', 'workflows.argoproj.io', inProjects],
        ['get', 'workflowtemplates.argoproj.io', inProjects],
        ['list', 'workflowtemplates.argoproj.io', inProjects],
        ['watch', 'workflowtemplates.argoproj.io', inProjects],
        // Step and predictor pods, and their logs.
        ['get', 'pods', inProjects],
        ['list', 'pods', inProjects],
        ['watch', 'pods', inProjects],
        ['delete', 'pods', inProjects],
        ['get', 'pods', { ...inProjects, subresource: 'log' }],
        ['list', 'events', inProjects],
        // Serving: read, deploy, roll out (server-side apply), delete.
        ['get', 'inferenceservices.serving.kserve.io', inProjects],
        ['list', 'inferenceservices.serving.kserve.io', inProjects],
        ['watch', 'inferenceservices.serving.kserve.io', inProjects],
        ['create', 'inferenceservices.serving.kserve.io', inProjects],
        ['patch', 'inferenceservices.serving.kserve.io', inProjects],
        ['delete', 'inferenceservices.serving.kserve.io', inProjects],
        // Which team owns a namespace (its mlstack.io/owner annotation).
        ['get', 'namespaces'],
      ]);
      expect(answers).toEqual(all(answers, true));
    });

    it('may do nothing else', async () => {
      const answers = await ask(PORTAL, [
        ['delete', 'namespaces'],
        ['list', 'namespaces'],
        ['watch', 'namespaces'],
        ['update', 'namespaces'],
        ['patch', 'namespaces'],
        ['get', 'secrets', inProjects],
        ['list', 'secrets', inProjects],
        ['get', 'secrets', { namespace: 'mlflow' }],
        ['create', 'pods', { ...inProjects, subresource: 'exec' }],
        ['get', 'pods', { ...inProjects, subresource: 'exec' }],
        ['create', 'pods', { ...inProjects, subresource: 'attach' }],
        ['create', 'pods', { ...inProjects, subresource: 'portforward' }],
        ['create', 'pods', inProjects],
        ['delete', 'pods', { namespace: 'kube-system' }],
        ['delete', 'workflows.argoproj.io', inProjects],
        ['update', 'workflows.argoproj.io', { namespace: 'default' }],
        ['create', 'workflowtemplates.argoproj.io', inProjects],
        ['patch', 'workflowtemplates.argoproj.io', inProjects],
        [
          'delete',
          'inferenceservices.serving.kserve.io',
          { namespace: 'default' },
        ],
        ['get', 'configmaps', inProjects],
        ['create', 'rolebindings.rbac.authorization.k8s.io', inProjects],
        ['create', 'serviceaccounts', { ...inProjects, subresource: 'token' }],
        ['impersonate', 'serviceaccounts', inProjects],
        // Only ml-projects: not other namespaces, not cluster-wide.
        ['list', 'workflows.argoproj.io', { namespace: 'default' }],
        ['list', 'workflows.argoproj.io', { namespace: 'argo' }],
        ['list', 'pods', { namespace: 'kube-system' }],
        ['list', 'pods', { namespace: 'minio' }],
        [
          'create',
          'inferenceservices.serving.kserve.io',
          { namespace: 'default' },
        ],
        ['list', 'workflows.argoproj.io'],
      ]);
      expect(answers).toEqual(all(answers, false));
    });
  });

  describe("the pipeline's deploy step (ml-projects/pipeline-deployer)", () => {
    it('may apply and watch InferenceServices, and report its step result', async () => {
      const answers = await ask(DEPLOYER, [
        ['get', 'inferenceservices.serving.kserve.io', inProjects],
        ['list', 'inferenceservices.serving.kserve.io', inProjects],
        ['watch', 'inferenceservices.serving.kserve.io', inProjects],
        ['create', 'inferenceservices.serving.kserve.io', inProjects],
        ['patch', 'inferenceservices.serving.kserve.io', inProjects],
        ['create', 'workflowtaskresults.argoproj.io', inProjects],
        ['patch', 'workflowtaskresults.argoproj.io', inProjects],
      ]);
      expect(answers).toEqual(all(answers, true));
    });

    it('may do nothing else', async () => {
      const answers = await ask(DEPLOYER, [
        ['delete', 'inferenceservices.serving.kserve.io', inProjects],
        [
          'create',
          'inferenceservices.serving.kserve.io',
          { namespace: 'default' },
        ],
        ['list', 'inferenceservices.serving.kserve.io'],
        ['get', 'secrets', inProjects],
        ['create', 'pods', inProjects],
        ['create', 'pods', { ...inProjects, subresource: 'exec' }],
        ['create', 'workflows.argoproj.io', inProjects],
        ['get', 'workflowtaskresults.argoproj.io', inProjects],
        ['delete', 'namespaces'],
      ]);
      expect(answers).toEqual(all(answers, false));
    });
  });

  describe('the other pipeline steps (ml-projects/pipeline-runner)', () => {
    it('may report their step results', async () => {
      const answers = await ask(RUNNER, [
        ['create', 'workflowtaskresults.argoproj.io', inProjects],
        ['patch', 'workflowtaskresults.argoproj.io', inProjects],
      ]);
      expect(answers).toEqual(all(answers, true));
    });

    it('may not touch serving, secrets or pods', async () => {
      const answers = await ask(RUNNER, [
        ['get', 'inferenceservices.serving.kserve.io', inProjects],
        ['create', 'inferenceservices.serving.kserve.io', inProjects],
        ['patch', 'inferenceservices.serving.kserve.io', inProjects],
        ['get', 'secrets', inProjects],
        ['list', 'pods', inProjects],
        ['create', 'workflows.argoproj.io', inProjects],
      ]);
      expect(answers).toEqual(all(answers, false));
    });
  });

  describe('predictors (ml-projects/kserve-s3)', () => {
    it('have no API access (their credentials come from the Secret via KServe)', async () => {
      const answers = await ask(PREDICTOR, [
        ['get', 'secrets', inProjects],
        ['list', 'pods', inProjects],
        ['get', 'inferenceservices.serving.kserve.io', inProjects],
        ['create', 'workflowtaskresults.argoproj.io', inProjects],
      ]);
      expect(answers).toEqual(all(answers, false));
    });
  });
});
