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
 * The most registered models one entity may claim: each claim costs an MLflow read per pass, so
 * one catalog-info.yaml cannot make a pass read (or, with `maxModels`, crowd out) without bound.
 */
export const MAX_CLAIMS_PER_ENTITY = 20;

/**
 * The claims of the catalog entities that name registered models, sorted by entity ref and
 * model name. Entities this module emitted (they carry `mlstack.io/claimed-by` and the model
 * annotation) are not claimers. An entity's names past MAX_CLAIMS_PER_ENTITY are left out and
 * reported through `onTooMany`.
 */
export function readModelClaims(
  entities: Entity[],
  defaultInstance: string,
  onTooMany: (claimerRef: string, names: number) => void = () => {},
): ModelClaim[] {
  const claims = entities
    .filter(entity => !entity.metadata.annotations?.[CLAIMED_BY_ANNOTATION])
    .flatMap(entity => {
      const annotations = entity.metadata.annotations ?? {};
      const instance =
        annotations[MLFLOW_INSTANCE_ANNOTATION]?.trim() || defaultInstance;
      const claimerRef = stringifyEntityRef(entity);
      const names = parseNameList(
        annotations[MLFLOW_REGISTERED_MODEL_ANNOTATION],
      );
      if (names.length > MAX_CLAIMS_PER_ENTITY) {
        onTooMany(claimerRef, names.length);
      }
      return names
        .slice(0, MAX_CLAIMS_PER_ENTITY)
        .map(modelName => ({
          claimer: entity,
          claimerRef,
          instance,
          modelName,
        }));
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
