export {
  LiveDuration,
  ParameterChips,
  WORKFLOW_QUERY_PARAM,
  workflowLink,
  WorkflowsTable,
} from './WorkflowsTable';
export type { WorkflowsTableProps } from './WorkflowsTable';
