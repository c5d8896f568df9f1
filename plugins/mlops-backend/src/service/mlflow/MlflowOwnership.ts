/**
 * The rule moved to `@mlstack/plugin-mlops-common` (the catalog module's model entities apply it
 * too); re-exported here so the backend's imports and tests keep their paths.
 */
export {
  MlflowOwnership,
  type MlflowOwnershipJudgement,
} from '@mlstack/plugin-mlops-common';
