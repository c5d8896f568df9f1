export { RunsTable, MAX_COMPARED_RUNS } from './RunsTable';
export type { RunsTableProps } from './RunsTable';
export { runDetailLink, runLabel } from './columns';
