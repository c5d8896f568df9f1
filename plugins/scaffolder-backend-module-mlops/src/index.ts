/**
 * Scaffolder actions of the MLStack plugins.
 *
 * @packageDocumentation
 */
export { scaffolderModuleMlops as default } from './module';
