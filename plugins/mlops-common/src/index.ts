/**
 * Shared contracts of the MLStack plugins: annotations, response types and permissions.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './mlflow';
export * from './argo';
export * from './kserve';
export * from './permissions';
export * from './ownership';
export * from './kubernetesNames';
export * from './lineage';
export * from './mlflowOwnership';
