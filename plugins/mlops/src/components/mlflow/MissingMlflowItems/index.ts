export { MissingMlflowItems } from './MissingMlflowItems';
export type { MissingMlflowItemsProps } from './MissingMlflowItems';
