/**
 * Shared contracts of the MLStack plugins: annotations, response types and permissions.
 *
 * @packageDocumentation
 */
export * from './annotations';
export * from './mlflow';
export * from './argo';
export * from './kserve/types';
export * from './kserve/api';
export * from './kserve/deploy';
export { QUANTITY, resourceProblems } from './kserve/resources';
export * from './permissions';
export * from './ownership';
export * from './kubernetesNames';
export * from './lineage';
export * from './mlflowOwnership';
