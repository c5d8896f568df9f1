import type { Entity } from '@backstage/catalog-model';
import type { ServedModelRecord } from '@mlstack/plugin-mlops-common';
import type { RegisteredModelSummary } from '../provider/readClaimedModel';

/** An ML project Component as the template registers it, claiming `models`. */
export function projectEntity(options: {
  name: string;
  owner: string;
  models: string;
  instance?: string;
  namespace?: string;
  system?: string;
  extraAnnotations?: Record<string, string>;
}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: options.name,
      namespace: 'default',
      annotations: {
        'mlflow.org/registered-model-name': options.models,
        ...(options.instance
          ? { 'mlflow.org/instance': options.instance }
          : {}),
        ...(options.namespace
          ? { 'backstage.io/kubernetes-namespace': options.namespace }
          : {}),
        ...options.extraAnnotations,
      },
    },
    spec: {
      type: 'ml-project',
      lifecycle: 'experimental',
      owner: options.owner,
      ...(options.system ? { system: options.system } : {}),
    },
  };
}

/** A registered model as MlflowClient.getRegisteredModelSummary answers. */
export function registeredModel(
  name: string,
  tags: Record<string, string> = {},
  description?: string,
): RegisteredModelSummary {
  return {
    name,
    description,
    aliases: {},
    tags,
    uiUrl: `http://mlflow.example.com/#/models/${encodeURIComponent(name)}`,
  };
}

/** The record the portal writes in `mlstack.io/served-model` when it deploys a version. */
export function servedRecord(
  instance: string,
  modelName: string,
  version: string,
): ServedModelRecord {
  return {
    instance,
    modelName,
    version,
    storageUri: `s3://mlflow-artifacts/1/models/m-${version}/artifacts`,
    deployedAt: '2026-11-28T10:00:00Z',
  };
}
