/**
 * The MLStack backend plugin: entity-scoped access to MLflow (and, later, Argo Workflows
 * and KServe) for the MLStack frontend.
 *
 * @packageDocumentation
 */
export { mlopsPlugin as default } from './plugin';
