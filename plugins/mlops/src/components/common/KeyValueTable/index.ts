export { KeyValueTable } from './KeyValueTable';
export type { KeyValueTableProps } from './KeyValueTable';
