import type {
  DeployMode,
  ServedModelRecord,
} from '@mlstack/plugin-mlops-common';
import { PlainObject, cloneJson, objectAt } from '../../../kubernetes/objects';
import type { DeployPlanInput } from '../deployPlan';
import { planDeploy } from '../deployPlan';
import { DEPLOY_RUNTIMES } from '../runtimes';

export const SKLEARN_SERVER = DEPLOY_RUNTIMES.find(
  r => r.name === 'kserve-sklearnserver',
)!;
export const MLSERVER = DEPLOY_RUNTIMES.find(
  r => r.name === 'kserve-mlserver',
)!;

export const ENTITY_REF = 'component:default/fraud-detector';
export const ENTITY_LABELS = { 'backstage.io/kubernetes-id': 'fraud-detector' };

export const storageUriOf = (version: string) =>
  `s3://mlflow-artifacts/3/models/m-${version}/artifacts`;

/** What the portal records for version `version` of the registered model `fraud`. */
export function record(
  version: string,
  overrides: Partial<ServedModelRecord> = {},
): ServedModelRecord {
  return {
    instance: 'default',
    modelName: 'fraud',
    version,
    modelId: `m-${version}`,
    runId: `run-${version}`,
    storageUri: storageUriOf(version),
    deployedBy: 'user:default/jane',
    deployedAt: `2026-11-28T10:0${version}:00.000Z`,
    ...overrides,
  };
}

/** A deploy of version `version` (a full rollout unless canaryTrafficPercent says otherwise). */
export function planInput(
  version: string,
  overrides: Partial<DeployPlanInput> = {},
): DeployPlanInput {
  return {
    name: 'fraud',
    namespace: 'ml',
    mode: 'Standard',
    canaryTrafficPercent: 0,
    entityRef: ENTITY_REF,
    labels: ENTITY_LABELS,
    runtime: SKLEARN_SERVER,
    storageUri: storageUriOf(version),
    record: record(version),
    ...overrides,
  };
}

let resourceVersion = 1000;

/**
 * The object the API server would store for a written manifest: the server's metadata (a
 * fresh resourceVersion, uid, managedFields of the portal's create or update, kubectl's
 * last-applied annotation as a client-side apply leaves it) and, when given, a status the
 * controller wrote.
 */
export function stored(
  manifest: PlainObject,
  status?: PlainObject,
): PlainObject {
  const object = cloneJson(manifest);
  const metadata = objectAt(object.metadata);
  resourceVersion += 1;
  metadata.resourceVersion = String(resourceVersion);
  metadata.uid = '5c1e4f0e-0000-4000-8000-000000000001';
  metadata.generation = 1;
  metadata.creationTimestamp = '2026-11-28T10:00:00Z';
  metadata.managedFields = [
    {
      manager: 'mlstack-portal',
      operation: 'Update',
      apiVersion: 'serving.kserve.io/v1beta1',
      time: '2026-11-28T10:00:00Z',
      fieldsType: 'FieldsV1',
      fieldsV1: {},
    },
  ];
  metadata.annotations = {
    ...objectAt(metadata.annotations),
    'kubectl.kubernetes.io/last-applied-configuration': '{}',
  };
  if (status) {
    object.status = status;
  }
  return object;
}

/** A service the portal created with version `version`, as the cluster has it. */
export function createdService(
  version: string,
  mode: DeployMode = 'Standard',
  overrides: Partial<DeployPlanInput> = {},
): PlainObject {
  return stored(
    planDeploy(planInput(version, { mode, ...overrides })).manifest,
  );
}

/** A service serving version 1 with version 2 as a canary at `percent`, as the cluster has it. */
export function serviceWithCanary(
  mode: DeployMode,
  percent = 20,
  overrides: Partial<DeployPlanInput> = {},
): PlainObject {
  return stored(
    planDeploy(
      planInput('2', {
        mode,
        canaryTrafficPercent: percent,
        current: createdService('1', mode, overrides),
        ...overrides,
      }),
    ).manifest,
  );
}

export const annotationsOfObject = (object: unknown): Record<string, string> =>
  objectAt(objectAt(object).metadata).annotations as Record<string, string>;

export const specOf = (object: unknown): PlainObject =>
  objectAt(objectAt(object).spec);
