export { WorkflowActions } from './WorkflowActions';
export type { WorkflowActionsProps } from './WorkflowActions';
