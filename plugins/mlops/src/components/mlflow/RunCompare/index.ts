export { RunCompare } from './RunCompare';
export type { RunCompareProps } from './RunCompare';
