import { callJson } from './benchBackend';

/** Run ids per runs/search (MLFLOW_RUN_IDS_PER_SEARCH in MlflowClient.ts). */
export const RUN_IDS_PER_SEARCH = 200;

/** One distinct upstream call of a lineage, made directly. */
export type LineageCall = [name: string, call: () => Promise<unknown>];

/**
 * The distinct upstream calls a lineage of `model` makes, made directly through the same
 * counting proxies (the kube ones with the backend's service account token): the model, its
 * versions, the runs of the newest 200 (one runs/search), the InferenceServices and the
 * workflows of the entity's selector.
 */
export async function directLineageCalls(options: {
  mlflow: string;
  kube: string;
  token: string;
  namespace: string;
  selector: string;
  model: string;
  experimentId: string;
}): Promise<LineageCall[]> {
  const { mlflow, kube, token, namespace, selector, model } = options;
  const mlflowApi = `${mlflow}/api/2.0/mlflow`;
  const versionsQuery = new URLSearchParams({ filter: `name='${model}'` });
  const { model_versions: versions } = await callJson(
    `${mlflowApi}/model-versions/search?${versionsQuery}`,
  );
  const runIds = [
    ...new Set<string>(
      versions
        .sort(
          (a: { version: string }, b: { version: string }) =>
            Number(b.version) - Number(a.version),
        )
        .map((v: { run_id: string }) => v.run_id),
    ),
  ];
  const kubeList = (resource: string) =>
    callJson(
      `${kube}/apis/${resource}?${new URLSearchParams({
        labelSelector: selector,
      })}`,
      { headers: { authorization: `Bearer ${token}` } },
    );
  return [
    [
      'mlflow GET registered-models/get',
      () =>
        callJson(
          `${mlflowApi}/registered-models/get?${new URLSearchParams({
            name: model,
          })}`,
        ),
    ],
    [
      `mlflow GET model-versions/search (${versions.length} versions)`,
      () => callJson(`${mlflowApi}/model-versions/search?${versionsQuery}`),
    ],
    [
      `mlflow POST runs/search (${Math.min(
        RUN_IDS_PER_SEARCH,
        runIds.length,
      )} run ids)`,
      () =>
        callJson(`${mlflowApi}/runs/search`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            experiment_ids: [options.experimentId],
            filter: `attributes.run_id IN (${runIds
              .slice(0, RUN_IDS_PER_SEARCH)
              .map(id => `'${id}'`)
              .join(',')})`,
            run_view_type: 'ALL',
            max_results: RUN_IDS_PER_SEARCH,
          }),
        }),
    ],
    [
      'kube GET inferenceservices (selector)',
      () =>
        kubeList(
          `serving.kserve.io/v1beta1/namespaces/${namespace}/inferenceservices`,
        ),
    ],
    [
      'kube GET workflows (selector)',
      () => kubeList(`argoproj.io/v1alpha1/namespaces/${namespace}/workflows`),
    ],
  ];
}
