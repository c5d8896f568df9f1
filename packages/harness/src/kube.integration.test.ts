import {
  ApiextensionsV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
} from '@kubernetes/client-node';
import { requireHarnessService } from './harnessState';
import { loadUpstreamFixtures } from './upstreamFixtures';

function kubeConfig(context: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(requireHarnessService('kube').kubeconfig);
  kc.setCurrentContext(context);
  return kc;
}

describe('harness Kubernetes API server', () => {
  const kube = requireHarnessService('kube');
  const admin = kubeConfig(kube.context);
  const objects = admin.makeApiClient(KubernetesObjectApi);
  const namespace = `harness-test-${Date.now()}`;

  beforeAll(async () => {
    await admin
      .makeApiClient(CoreV1Api)
      .createNamespace({ body: { metadata: { name: namespace } } });
  });

  afterAll(async () => {
    await admin
      .makeApiClient(CoreV1Api)
      .deleteNamespace({ name: namespace })
      .catch(() => undefined); // namespaces without a controller stay Terminating; fine here
  });

  it('serves the Argo Workflows and KServe CRDs', async () => {
    const crds = await admin
      .makeApiClient(ApiextensionsV1Api)
      .listCustomResourceDefinition();
    const names = crds.items.map(c => c.metadata?.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'workflows.argoproj.io',
        'workflowtemplates.argoproj.io',
        'inferenceservices.serving.kserve.io',
      ]),
    );
  });

  it('accepts an upstream WorkflowTemplate', async () => {
    const [template] = loadUpstreamFixtures(
      'argo-workflows/examples/workflowtemplates/templates-steps-and-dag.yaml',
    );
    const created = await objects.create({
      ...template,
      metadata: { ...template.metadata, namespace },
    } as KubernetesObject);
    expect(created.kind).toBe('WorkflowTemplate');
    const read = await objects.read<KubernetesObject & { spec: any }>({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'WorkflowTemplate',
      metadata: { name: template.metadata.name, namespace },
    });
    expect(read.spec.templates.map((t: any) => t.name)).toEqual(
      template.spec.templates.map((t: any) => t.name),
    );
  });

  it('accepts an upstream InferenceService', async () => {
    const [isvc] = loadUpstreamFixtures(
      'kserve/examples/inferenceservices/sklearn-iris-v1.yaml',
    );
    type WithSpec = KubernetesObject & { spec: any };
    const created = await objects.create<WithSpec>({
      ...isvc,
      metadata: { ...isvc.metadata, namespace },
    } as WithSpec);
    expect(created.kind).toBe('InferenceService');
    expect(created.spec.predictor).toEqual(isvc.spec.predictor);
  });

  it('rejects an InferenceService that breaks the CRD schema', async () => {
    const [isvc] = loadUpstreamFixtures(
      'kserve/examples/inferenceservices/sklearn-iris-v1.yaml',
    );
    const invalid = {
      ...isvc,
      metadata: { name: 'not-valid', namespace },
      spec: { predictor: { ...isvc.spec.predictor, minReplicas: 'two' } },
    };
    await expect(
      objects.create(invalid as KubernetesObject),
    ).rejects.toMatchObject({
      code: 422,
      body: expect.stringContaining('spec.predictor.minReplicas'),
    });
  });

  it('enforces RBAC: a user without bindings is forbidden', async () => {
    const noRights = kubeConfig(kube.noRightsContext).makeApiClient(
      KubernetesObjectApi,
    );
    await expect(
      noRights.list('argoproj.io/v1alpha1', 'Workflow', namespace),
    ).rejects.toMatchObject({ code: 403 });
  });
});
