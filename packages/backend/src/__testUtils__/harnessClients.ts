import * as k8s from '@kubernetes/client-node';
import { requireHarnessService } from '@internal/harness';

/**
 * The harness's services as the backend's integration tests arrange them: the API server
 * through its admin context, and MLflow's REST API.
 */
export function harnessClients() {
  const kube = requireHarnessService('kube');
  const mlflowUrl = requireHarnessService('mlflow').url;
  const kc = new k8s.KubeConfig();
  kc.loadFromFile(kube.kubeconfig);
  kc.setCurrentContext('mlstack-harness');

  /** A POST to MLflow's REST API; its JSON answer, or an error naming the route. */
  async function mlflow(route: string, body: object) {
    const res = await fetch(`${mlflowUrl}/api/2.0/mlflow/${route}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!res.ok) {
      throw new Error(`MLflow ${route}: ${res.status} ${await res.text()}`);
    }
    return res.json();
  }

  return {
    kube,
    mlflowUrl,
    core: kc.makeApiClient(k8s.CoreV1Api),
    custom: kc.makeApiClient(k8s.CustomObjectsApi),
    /** The coordinates of an Argo resource for CustomObjectsApi calls. */
    argo: (namespace: string, plural = 'workflows') => ({
      group: 'argoproj.io',
      version: 'v1alpha1',
      namespace,
      plural,
    }),
    mlflow,
  };
}

/**
 * A WorkflowTemplate as a team writes one for the portal: `epochs` submittable (digits),
 * `mode` an enum, `image` set by the template only.
 */
export function trainingTemplate(name: string, namespace: string) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowTemplate',
    metadata: {
      name,
      namespace,
      annotations: {
        'mlstack.io/submittable-parameters': JSON.stringify({
          epochs: '[0-9]{1,3}',
        }),
      },
    },
    spec: {
      entrypoint: 'main',
      arguments: {
        parameters: [
          { name: 'epochs', value: '10' },
          { name: 'image', value: 'registry.local/trainer:1' },
          { name: 'mode', value: 'fast', enum: ['fast', 'full'] },
        ],
      },
      templates: [
        {
          name: 'main',
          container: {
            image: '{{workflow.parameters.image}}',
            command: ['python', '-m', 'train'],
          },
        },
      ],
    },
  };
}
