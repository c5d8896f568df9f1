import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import { MetricHistoryChart } from '../MetricHistoryChart';

export interface MetricChartsProps {
  entityRef: MlopsEntityRef;
  /** Metrics that can be charted. */
  metricKeys: string[];
  runs: Array<{ runId: string; label: string }>;
  /** How many metrics are charted before the user picks. */
  defaultCount?: number;
}

/** Chips to choose metrics, and a history chart for each chosen one. */
export function MetricCharts(props: MetricChartsProps) {
  const { entityRef, metricKeys, runs, defaultCount = 4 } = props;
  const [chosen, setChosen] = useState<string[]>(() =>
    metricKeys.slice(0, defaultCount),
  );

  if (metricKeys.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        No metrics logged.
      </Typography>
    );
  }

  const toggle = (key: string) =>
    setChosen(current =>
      current.includes(key)
        ? current.filter(k => k !== key)
        : metricKeys.filter(k => k === key || current.includes(k)),
    );

  return (
    <>
      <Box
        display="flex"
        flexWrap="wrap"
        mb={2}
        style={{ gap: 8 }}
        role="group"
        aria-label="Metrics to chart"
      >
        {metricKeys.map(key => {
          const on = chosen.includes(key);
          return (
            <Chip
              key={key}
              label={key}
              size="small"
              clickable
              color={on ? 'primary' : 'default'}
              variant={on ? 'default' : 'outlined'}
              onClick={() => toggle(key)}
              aria-pressed={on}
            />
          );
        })}
      </Box>
      <Grid container spacing={2}>
        {chosen.map(key => (
          <Grid item xs={12} md={6} key={key}>
            <MetricHistoryChart
              entityRef={entityRef}
              metricKey={key}
              runs={runs}
            />
          </Grid>
        ))}
      </Grid>
    </>
  );
}
