export { PHASE_COLORS, PhaseLegend, WorkflowGraph } from './WorkflowGraph';
export type { WorkflowGraphProps } from './WorkflowGraph';
