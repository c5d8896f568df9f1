export { RunDetail } from './RunDetail';
export type { RunDetailProps } from './RunDetail';
