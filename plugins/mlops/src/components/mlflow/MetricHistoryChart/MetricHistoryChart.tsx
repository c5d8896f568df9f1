import { Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import { useTheme } from '@material-ui/core/styles';
import { useMemo } from 'react';
import {
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { MlopsEntityRef } from '../../../api';
import { useMetricHistories } from '../../../hooks';
import { formatMetric } from '../../../utils/format';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { mergeHistories } from './chartData';

const PALETTE = [
  '#1f77b4',
  '#ff7f0e',
  '#2ca02c',
  '#d62728',
  '#9467bd',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#17becf',
];

export interface MetricHistoryChartProps {
  entityRef: MlopsEntityRef;
  metricKey: string;
  /** One line per run, labelled with its name. */
  runs: Array<{ runId: string; label: string }>;
  height?: number;
}

/** The history of one metric over steps, one line per run. */
export function MetricHistoryChart(props: MetricHistoryChartProps) {
  const { entityRef, metricKey, runs, height = 240 } = props;
  const theme = useTheme();
  const { value, loading, error } = useMetricHistories(
    entityRef,
    runs.map(r => r.runId),
    metricKey,
  );
  const data = useMemo(() => mergeHistories(value ?? []), [value]);

  return (
    <Box
      component="figure"
      m={0}
      aria-label={`History of ${metricKey}`}
      data-testid={`metric-chart-${metricKey}`}
    >
      <Typography variant="subtitle2" component="figcaption" gutterBottom>
        {metricKey}
      </Typography>
      {loading && <Progress />}
      {error && (
        <BackendErrorPanel
          error={error}
          subject="MLflow"
          wording="availability"
        />
      )}
      {!loading && !error && data.length === 0 && (
        <Typography variant="body2" color="textSecondary">
          No history logged.
        </Typography>
      )}
      {!loading && !error && data.length > 0 && (
        <ResponsiveContainer width="100%" height={height}>
          <LineChart
            data={data}
            margin={{ top: 8, right: 16, bottom: 8, left: 0 }}
          >
            <CartesianGrid strokeDasharray="3 3" />
            <XAxis
              dataKey="step"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDecimals={false}
              stroke={theme.palette.text.secondary}
              label={{
                value: 'step',
                position: 'insideBottomRight',
                offset: -4,
              }}
            />
            <YAxis
              width={64}
              stroke={theme.palette.text.secondary}
              tickFormatter={v => formatMetric(Number(v))}
              domain={['auto', 'auto']}
            />
            <Tooltip
              formatter={(v: unknown) => formatMetric(Number(v))}
              labelFormatter={step => `step ${step}`}
            />
            {runs.length > 1 && <Legend />}
            {runs.map((run, i) => (
              <Line
                key={run.runId}
                type="monotone"
                dataKey={run.runId}
                name={run.label}
                stroke={PALETTE[i % PALETTE.length]}
                dot={data.length <= 30}
                connectNulls
                isAnimationActive={false}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </Box>
  );
}
