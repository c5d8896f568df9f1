export { TokenPagination } from './TokenPagination';
export type { TokenPaginationProps } from './TokenPagination';
