import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  MLFLOW_INSTANCE_ANNOTATION,
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  parseNameList,
} from '@mlstack/plugin-mlops-common';
import { CLAIMED_BY_ANNOTATION } from '../entities/annotations';

/** One entity naming one registered model of one MLflow instance. */
export interface ModelClaim {
  claimer: Entity;
  claimerRef: string;
  /** The configured instance name (the annotation, else the default instance). */
  instance: string;
  modelName: string;
}

/**
 * The claims of the catalog entities that name registered models, sorted by entity ref and
 * model name. Entities this module emitted (they carry `mlstack.io/claimed-by` and the model
 * annotation) are not claimers.
 */
export function readModelClaims(
  entities: Entity[],
  defaultInstance: string,
): ModelClaim[] {
  const claims = entities
    .filter(entity => !entity.metadata.annotations?.[CLAIMED_BY_ANNOTATION])
    .flatMap(entity => {
      const annotations = entity.metadata.annotations ?? {};
      const instance =
        annotations[MLFLOW_INSTANCE_ANNOTATION]?.trim() || defaultInstance;
      const claimerRef = stringifyEntityRef(entity);
      return parseNameList(annotations[MLFLOW_REGISTERED_MODEL_ANNOTATION]).map(
        modelName => ({ claimer: entity, claimerRef, instance, modelName }),
      );
    });
  return claims.sort(
    (a, b) =>
      a.claimerRef.localeCompare(b.claimerRef) ||
      a.modelName.localeCompare(b.modelName) ||
      a.instance.localeCompare(b.instance),
  );
}

/** The key of the model a claim names: one model entity per instance and model name. */
export function modelKey(claim: Pick<ModelClaim, 'instance' | 'modelName'>) {
  return `${claim.instance}\u0000${claim.modelName}`;
}

/** Claims grouped by the model they name, in the order of their first claim. */
export function groupByModel(claims: ModelClaim[]): ModelClaim[][] {
  const groups = new Map<string, ModelClaim[]>();
  for (const claim of claims) {
    const key = modelKey(claim);
    groups.set(key, [...(groups.get(key) ?? []), claim]);
  }
  return Array.from(groups.values());
}
