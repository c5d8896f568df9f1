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
