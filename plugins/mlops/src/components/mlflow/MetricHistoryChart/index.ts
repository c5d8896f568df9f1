export { MetricHistoryChart } from './MetricHistoryChart';
export type { MetricHistoryChartProps } from './MetricHistoryChart';
