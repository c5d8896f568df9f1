export { MlflowOverview } from './MlflowOverview';
export type { MlflowOverviewProps } from './MlflowOverview';
