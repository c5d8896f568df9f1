export { SubmitWorkflowDialog } from './SubmitWorkflowDialog';
export type { SubmitWorkflowDialogProps } from './SubmitWorkflowDialog';
