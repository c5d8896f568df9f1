import { InfoCard, Link, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import { makeStyles } from '@material-ui/core/styles';
import type { MlflowRunDetail } from '@mlstack/plugin-mlops-common';
import { type ReactNode, useMemo, useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import { useMlflowRunsById } from '../../../hooks';
import { formatMetric } from '../../../utils/format';
import { MetricCharts } from '../MetricCharts';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { RunStatus } from '../RunStatus';
import { runDetailLink, runLabel } from '../RunsTable';
import { type CompareRow, compareRows } from './compareRows';
import { AllRunsButton } from '../../common/AllRunsButton';

const useStyles = makeStyles(theme => ({
  differs: {
    backgroundColor:
      theme.palette.type === 'dark'
        ? 'rgba(255, 193, 7, 0.16)'
        : 'rgba(255, 193, 7, 0.18)',
  },
  keyCell: { whiteSpace: 'nowrap' },
  chip: { marginLeft: theme.spacing(1) },
}));

export interface RunCompareProps {
  entityRef: MlopsEntityRef;
  runIds: string[];
  onBack?(): void;
}

function CompareTable<T>(props: {
  label: string;
  keyHeader: string;
  runs: MlflowRunDetail[];
  rows: CompareRow<T>[];
  format(value: T): ReactNode;
  markDifferences: boolean;
}) {
  const { label, keyHeader, runs, rows, format, markDifferences } = props;
  const classes = useStyles();
  if (rows.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Nothing to compare.
      </Typography>
    );
  }
  return (
    <Box style={{ overflowX: 'auto' }}>
      <Table size="small" aria-label={label}>
        <TableHead>
          <TableRow>
            <TableCell>{keyHeader}</TableCell>
            {runs.map(run => (
              <TableCell key={run.runId}>
                <Link to={runDetailLink(run.runId)}>{runLabel(run)}</Link>
                <Box>
                  <RunStatus status={run.status} />
                </Box>
              </TableCell>
            ))}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map(row => {
            const marked = markDifferences && row.differs;
            return (
              <TableRow
                key={row.key}
                className={marked ? classes.differs : undefined}
                data-differs={marked ? 'true' : undefined}
              >
                <TableCell
                  component="th"
                  scope="row"
                  className={classes.keyCell}
                >
                  <code>{row.key}</code>
                  {marked && (
                    <Chip
                      className={classes.chip}
                      size="small"
                      color="secondary"
                      label="differs"
                    />
                  )}
                </TableCell>
                {row.values.map((value, i) => (
                  <TableCell key={runs[i].runId}>
                    {value === undefined ? '—' : format(value)}
                  </TableCell>
                ))}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}

/** Several runs side by side: params with differences marked, metrics overlaid. */
export function RunCompare(props: RunCompareProps) {
  const { entityRef, runIds, onBack } = props;
  const { value: runs, loading, error } = useMlflowRunsById(entityRef, runIds);
  const [onlyDifferences, setOnlyDifferences] = useState(false);

  const paramRows = useMemo(
    () => compareRows((runs ?? []).map(r => r.params)),
    [runs],
  );
  const metricRows = useMemo(
    () => compareRows((runs ?? []).map(r => r.metrics)),
    [runs],
  );

  const back = <AllRunsButton onBack={onBack} />;

  if (loading) {
    return <Progress />;
  }
  if (error || !runs) {
    return (
      <>
        {back}
        <BackendErrorPanel
          error={error ?? new Error('No runs')}
          subject="MLflow"
          wording="availability"
          title="Could not load the runs to compare"
        />
      </>
    );
  }

  const differing = paramRows.filter(r => r.differs).length;
  const shownParams = onlyDifferences
    ? paramRows.filter(r => r.differs)
    : paramRows;

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <Box display="flex" alignItems="center" style={{ gap: 16 }}>
          {back}
          <Typography variant="h5" component="h2">
            Comparing {runs.length} runs
          </Typography>
        </Box>
      </Grid>
      <Grid item xs={12}>
        <InfoCard
          title="Parameters"
          subheader={`${differing} of ${paramRows.length} differ`}
          action={
            <FormControlLabel
              control={
                <Switch
                  checked={onlyDifferences}
                  onChange={e => setOnlyDifferences(e.target.checked)}
                />
              }
              label="Only differences"
            />
          }
        >
          <CompareTable
            label="Parameters compared"
            keyHeader="Param"
            runs={runs}
            rows={shownParams}
            format={(v: string) => v}
            markDifferences
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Latest metrics">
          <CompareTable
            label="Metrics compared"
            keyHeader="Metric"
            runs={runs}
            rows={metricRows}
            format={(v: number) => formatMetric(v)}
            markDifferences={false}
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Metric history">
          <MetricCharts
            entityRef={entityRef}
            metricKeys={metricRows.map(r => r.key)}
            runs={runs.map(run => ({ runId: run.runId, label: runLabel(run) }))}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
