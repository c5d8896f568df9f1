export { MlflowErrorPanel, describeMlflowError } from './MlflowErrorPanel';
export type { MlflowErrorPanelProps } from './MlflowErrorPanel';
