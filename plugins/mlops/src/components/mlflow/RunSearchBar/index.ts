export { RunSearchBar } from './RunSearchBar';
export type { RunSearchBarProps } from './RunSearchBar';
