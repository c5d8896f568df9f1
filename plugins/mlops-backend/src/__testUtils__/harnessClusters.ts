import { ConfigReader } from '@backstage/config';
import { requireHarnessService } from '@internal/harness';
import { KubernetesClusters } from '@mlstack/plugin-mlops-node';
import fs from 'node:fs';

/**
 * The harness API server as integration tests reach it: `clusters` for the backend's
 * `mlops.kubernetes.clusters` (`harness` with the admin token, `norights` through the
 * kubeconfig context without bindings), and `admin`, a cluster to arrange objects with.
 */
export function harnessClusters() {
  const kube = requireHarnessService('kube');
  const caData = fs.readFileSync(kube.caFile, 'utf8');
  const harness = {
    url: kube.server,
    serviceAccountToken: kube.adminToken,
    caData,
  };
  return {
    kube,
    clusters: [
      { name: 'harness', ...harness },
      { name: 'norights', kubeconfigContext: kube.noRightsContext },
    ],
    admin: KubernetesClusters.fromConfig(
      new ConfigReader({
        mlops: { kubernetes: { clusters: [{ name: 'admin', ...harness }] } },
      }),
      { env: {} },
    ).get(),
  };
}
