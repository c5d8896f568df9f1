export { WorkflowDetail } from './WorkflowDetail';
export type { WorkflowDetailProps } from './WorkflowDetail';
