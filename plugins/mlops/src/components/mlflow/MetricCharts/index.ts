export { MetricCharts } from './MetricCharts';
export type { MetricChartsProps } from './MetricCharts';
