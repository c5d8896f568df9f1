/**
 * Node library of the MLStack plugins: a typed client of MLflow 3 tracking servers and model
 * registries, and the `mlops.mlflow` configuration that names them.
 *
 * @packageDocumentation
 */
export * from './mlflow';
export * from './argo';
export * from './kserve';
export * from './kubernetes';
export * from './lineage';
export { configError, readServiceUrl } from './config/configReaders';
export {
  NamespaceOwnershipConfig,
  OWNERSHIP_CONFIG_KEY,
  readNamespaceOwnership,
} from './config/ownershipConfig';
export type { NamespaceOwnershipEntry } from './config/ownershipConfig';
