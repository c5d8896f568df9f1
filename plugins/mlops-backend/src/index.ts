/**
 * The MLStack backend plugin: entity-scoped access to MLflow, Argo Workflows and KServe for
 * the MLStack frontend.
 *
 * @packageDocumentation
 */
export { mlopsPlugin as default } from './plugin';
