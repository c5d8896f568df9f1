import { Link, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import OpenInNew from '@material-ui/icons/OpenInNew';
import SubdirectoryArrowRight from '@material-ui/icons/SubdirectoryArrowRight';
import type { MlflowRun } from '@mlstack/plugin-mlops-common';
import {
  formatDuration,
  formatMetric,
  formatTimestamp,
  shortId,
  shortSha,
} from '../../../utils/format';
import {
  isSameSortField,
  type RunSort,
  type RunSortField,
} from '../../../utils/orderBy';
import { RunStatus } from '../RunStatus';

/** A run as a material-table row: `id` keeps row state, `tableData.checked` the selection. */
export type RunRow = MlflowRun & {
  id: string;
  tableData?: { checked?: boolean };
};

export function runDetailLink(runId: string): string {
  return `?run=${encodeURIComponent(runId)}`;
}

export function runLabel(run: Pick<MlflowRun, 'runName' | 'runId'>): string {
  return run.runName || shortId(run.runId);
}

function RunNameCell(props: { run: MlflowRun }) {
  const { run } = props;
  const label = runLabel(run);
  return (
    <Box
      display="flex"
      alignItems="center"
      pl={run.parentRunId ? 2 : 0}
      whiteSpace="nowrap"
    >
      {run.parentRunId && (
        <SubdirectoryArrowRight
          fontSize="small"
          color="action"
          titleAccess="Nested run"
        />
      )}
      <Link to={runDetailLink(run.runId)}>{label}</Link>
      <Tooltip title="Open in MLflow">
        <IconButton
          size="small"
          component="a"
          href={run.uiUrl}
          target="_blank"
          rel="noopener noreferrer"
          aria-label={`Open run ${label} in MLflow`}
        >
          <OpenInNew fontSize="inherit" />
        </IconButton>
      </Tooltip>
    </Box>
  );
}

function ParentCell(props: {
  run: MlflowRun;
  runsById: Map<string, MlflowRun>;
}) {
  const { run, runsById } = props;
  if (!run.parentRunId) {
    return null;
  }
  const parent = runsById.get(run.parentRunId);
  return (
    <Typography variant="body2" component="span" noWrap>
      child of{' '}
      <Link to={runDetailLink(run.parentRunId)}>
        {parent ? runLabel(parent) : shortId(run.parentRunId)}
      </Link>
    </Typography>
  );
}

function CommitCell(props: { sha?: string }) {
  const short = shortSha(props.sha);
  return short ? (
    <Tooltip title={props.sha!}>
      <code>{short}</code>
    </Tooltip>
  ) : (
    <>—</>
  );
}

/** Local sorting is a no-op: MLflow sorts, the table only shows the order. */
const keepServerOrder = () => 0;

export interface RunColumns {
  columns: TableColumn<RunRow>[];
  /** What each column (by index) sorts by on the server; undefined if it can't. */
  sortFields: Array<RunSortField | undefined>;
}

export function buildRunColumns(options: {
  metricKeys: string[];
  paramKeys: string[];
  sort: RunSort;
  runsById: Map<string, MlflowRun>;
}): RunColumns {
  const { metricKeys, paramKeys, sort, runsById } = options;
  const columns: TableColumn<RunRow>[] = [];
  const sortFields: Array<RunSortField | undefined> = [];

  const add = (column: TableColumn<RunRow>, sortField?: RunSortField) => {
    const sorted = sortField && isSameSortField(sortField, sort.field);
    columns.push(
      sortField
        ? {
            ...column,
            customSort: keepServerOrder,
            defaultSort: sorted
              ? (sort.direction.toLowerCase() as 'asc' | 'desc')
              : undefined,
          }
        : { ...column, sorting: false },
    );
    sortFields.push(sortField);
  };

  add({
    title: 'Run',
    field: 'runName',
    render: run => <RunNameCell run={run} />,
  });
  add({
    title: 'Status',
    field: 'status',
    render: run => <RunStatus status={run.status} />,
  });
  add(
    {
      title: 'Started',
      field: 'startTime',
      render: run => formatTimestamp(run.startTime),
      cellStyle: { whiteSpace: 'nowrap' },
    },
    { type: 'attribute', key: 'start_time' },
  );
  add({
    title: 'Duration',
    field: 'durationMs',
    render: run => formatDuration(run.durationMs),
  });
  add({ title: 'User', field: 'user', render: run => run.user ?? '—' });
  add({
    title: 'Commit',
    field: 'sourceCommit',
    render: run => <CommitCell sha={run.sourceCommit} />,
  });
  add({
    title: 'Parent',
    field: 'parentRunId',
    render: run => <ParentCell run={run} runsById={runsById} />,
  });
  for (const key of metricKeys) {
    add(
      {
        title: key,
        tooltip: `Metric ${key} (latest value)`,
        type: 'numeric',
        render: run => formatMetric(run.metrics[key]),
      },
      { type: 'metric', key },
    );
  }
  for (const key of paramKeys) {
    add(
      {
        title: key,
        tooltip: `Param ${key}`,
        render: run => run.params[key] ?? '—',
      },
      { type: 'param', key },
    );
  }
  return { columns, sortFields };
}
