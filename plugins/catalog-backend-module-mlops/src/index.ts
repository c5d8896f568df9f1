/**
 * MLStack catalog module: the MLflow registered models that catalog entities claim as
 * `Resource` entities (`spec.type: ml-model`), and the KServe InferenceServices serving them as
 * `API` entities provided by the model.
 *
 * @packageDocumentation
 */
export { catalogModuleMlstackModels as default } from './module';
export { ModelApiRelationsProcessor } from './processor/ModelApiRelationsProcessor';
export {
  MlstackModelProvider,
  type MlstackModelProviderOptions,
  type ModelProviderRunResult,
} from './provider/MlstackModelProvider';
export {
  CLAIMED_BY_ANNOTATION,
  ML_MODEL_RESOURCE_TYPE,
} from './entities/annotations';
export type { CollectModelEntitiesDeps } from './provider/collectModelEntities';
export type {
  ModelRegistries,
  ReadClaimedModelDeps,
  RegisteredModelSummary,
} from './provider/readClaimedModel';
export type { ClusterSource, ServingCluster } from './provider/servingServices';
export type { CatalogReader } from './provider/catalogPages';
