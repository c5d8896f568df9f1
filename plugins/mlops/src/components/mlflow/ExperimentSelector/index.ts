export { ExperimentSelector } from './ExperimentSelector';
export type { ExperimentSelectorProps } from './ExperimentSelector';
