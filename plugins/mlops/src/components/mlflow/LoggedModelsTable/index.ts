export { LoggedModelsTable } from './LoggedModelsTable';
export type { LoggedModelsTableProps } from './LoggedModelsTable';
