export { ServiceActions } from './ServiceActions';
export type { ServiceActionsProps } from './ServiceActions';
