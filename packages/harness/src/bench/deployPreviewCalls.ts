import { callJson } from './benchBackend';

/** What the deploy dialog asks the preview of. */
export interface DeployPreviewRequest {
  source: { type: 'modelVersion'; modelName: string; version: string };
  target: { cluster: string; namespace: string };
  serviceName: string;
  mode: 'Standard';
  canaryTrafficPercent: number;
}

/** One upstream call of a preview, made directly; it gets what the call before it returned. */
export type DirectCall = [name: string, call: (previous: any) => Promise<any>];

/**
 * The upstream calls a preview makes, in order, made directly through the same counting proxies
 * (the kube ones with the backend's service account token): the model, the version, its
 * download URI, its MLmodel file through the artifact proxy, the InferenceService (absent) and
 * its dry-run create.
 */
export function directPreviewCalls(options: {
  mlflow: string;
  kube: string;
  token: string;
  namespace: string;
  model: string;
  version: string;
  service: string;
  /** The InferenceService the preview rendered. */
  manifest: unknown;
}): DirectCall[] {
  const { mlflow, kube, token, namespace, model, version, service } = options;
  const q = new URLSearchParams({ name: model, version });
  const mlflowApi = `${mlflow}/api/2.0/mlflow`;
  const kubeHeaders = {
    authorization: `Bearer ${token}`,
    'content-type': 'application/json',
  };
  const isvcs = `${kube}/apis/serving.kserve.io/v1beta1/namespaces/${namespace}/inferenceservices`;
  return [
    [
      'mlflow GET registered-models/get',
      () =>
        callJson(
          `${mlflowApi}/registered-models/get?name=${encodeURIComponent(
            model,
          )}`,
        ),
    ],
    [
      'mlflow GET model-versions/get',
      () => callJson(`${mlflowApi}/model-versions/get?${q}`),
    ],
    [
      'mlflow GET model-versions/get-download-uri',
      async () => {
        const { artifact_uri: uri } = await callJson(
          `${mlflowApi}/model-versions/get-download-uri?${q}`,
        );
        return uri;
      },
    ],
    [
      'mlflow GET mlflow-artifacts/.../MLmodel',
      async (uri: string) => {
        const path = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/.exec(uri)?.[1];
        const r = await fetch(
          `${mlflow}/api/2.0/mlflow-artifacts/artifacts/${path}/MLmodel`,
        );
        if (!r.ok) throw new Error(`MLmodel: ${r.status}`);
        return r.text();
      },
    ],
    [
      'kube GET inferenceservices/<name> (404)',
      () => callJson(`${isvcs}/${service}`, { headers: kubeHeaders }, 404),
    ],
    [
      'kube POST inferenceservices?dryRun=All',
      () =>
        callJson(
          `${isvcs}?dryRun=All&fieldManager=mlstack-portal&fieldValidation=Strict`,
          {
            method: 'POST',
            headers: kubeHeaders,
            body: JSON.stringify(options.manifest),
          },
        ),
    ],
  ];
}
