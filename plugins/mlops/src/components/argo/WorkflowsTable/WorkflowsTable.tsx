import { Link, Table, type TableColumn } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';
import { useEffect, useMemo, useRef, useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import {
  useArgoWorkflows,
  useNow,
  usePageTokens,
  usePolling,
} from '../../../hooks';
import { elapsedMs, formatDuration, formatTime } from '../../../utils/format';
import { ArgoPhase, isLiveRun } from '../ArgoPhase';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { TokenPagination } from '../../common/TokenPagination';

const PAGE_SIZES = [10, 25, 50, 100];

/** Query parameter selecting a run in the Pipelines tab: `?workflow=<name>`. */
export const WORKFLOW_QUERY_PARAM = 'workflow';

export function workflowLink(name: string): string {
  return `?${WORKFLOW_QUERY_PARAM}=${encodeURIComponent(name)}`;
}

type WorkflowRow = ArgoWorkflowSummary & { id: string };

export function ParameterChips(props: { parameters: Record<string, string> }) {
  const entries = Object.entries(props.parameters);
  if (entries.length === 0) {
    return <>—</>;
  }
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
      {entries.map(([name, value]) => (
        <Chip
          key={name}
          size="small"
          variant="outlined"
          label={`${name}=${value}`}
        />
      ))}
    </Box>
  );
}

/** How long a run took, or has been running (ticking every second). */
export function LiveDuration(props: {
  item: {
    phase: string;
    startedAt?: string;
    finishedAt?: string;
    durationMs?: number;
  };
}) {
  const { item } = props;
  const now = useNow(
    item.durationMs === undefined && !item.finishedAt && !!item.startedAt,
  );
  return <>{formatDuration(elapsedMs(item, now))}</>;
}

function buildColumns(): TableColumn<WorkflowRow>[] {
  return [
    {
      title: 'Phase',
      field: 'phase',
      render: run => <ArgoPhase phase={run.phase} />,
      cellStyle: { whiteSpace: 'nowrap' },
    },
    {
      title: 'Run',
      field: 'name',
      render: run => (
        <Box>
          <Link to={workflowLink(run.name)}>{run.name}</Link>
          {run.title && (
            <Typography variant="caption" display="block">
              {run.title}
            </Typography>
          )}
        </Box>
      ),
    },
    {
      title: 'Progress',
      field: 'progress',
      render: run =>
        run.progress ? `${run.progress.done}/${run.progress.total}` : '—',
    },
    {
      title: 'Started',
      field: 'startedAt',
      render: run => formatTime(run.startedAt ?? run.creationTimestamp),
      cellStyle: { whiteSpace: 'nowrap' },
    },
    {
      title: 'Duration',
      field: 'durationMs',
      render: run => <LiveDuration item={run} />,
      cellStyle: { whiteSpace: 'nowrap' },
    },
    {
      title: 'Template',
      field: 'templateName',
      render: run => run.templateName ?? '—',
    },
    {
      title: 'Parameters',
      field: 'parameters',
      render: run => <ParameterChips parameters={run.parameters} />,
    },
    {
      title: 'Message',
      field: 'message',
      render: run =>
        run.message ? (
          <Tooltip title={run.message}>
            <Typography variant="body2" style={{ wordBreak: 'break-word' }}>
              {run.message}
            </Typography>
          </Tooltip>
        ) : (
          ''
        ),
    },
  ];
}

export interface WorkflowsTableProps {
  entityRef: MlopsEntityRef;
  defaultPageSize?: number;
  /**
   * True while another view (a run) covers the table: it stops refreshing, and
   * reloads its page when shown again.
   */
  hidden?: boolean;
}

/**
 * The entity's workflows, newest first, paged with the API server's
 * `continue` tokens. Refreshes itself while a run on the page is pending or
 * running, and ticks the durations of running ones.
 */
export function WorkflowsTable(props: WorkflowsTableProps) {
  const { entityRef, defaultPageSize = 25, hidden = false } = props;
  const [pageSize, setPageSize] = useState(defaultPageSize);
  const pages = usePageTokens(String(pageSize));
  const { value, loading, error, retry } = useArgoWorkflows(entityRef, {
    limit: pageSize,
    continue: pages.pageToken,
  });

  const current =
    value && value.token === pages.pageToken && value.limit === pageSize
      ? value.page
      : undefined;
  const items = useMemo(() => current?.items ?? [], [current]);
  const live = items.some(isLiveRun);
  usePolling(live && !error && !hidden, retry);

  const wasHidden = useRef(hidden);
  useEffect(() => {
    if (wasHidden.current && !hidden) {
      retry();
    }
    wasHidden.current = hidden;
  }, [hidden, retry]);

  const columns = useMemo(() => buildColumns(), []);
  const rows = useMemo(
    () => items.map(run => ({ ...run, id: run.uid ?? run.name })),
    [items],
  );

  if (error) {
    return (
      <BackendErrorPanel
        error={error}
        subject="Argo Workflows"
        title="Could not list the runs"
      />
    );
  }

  const remaining = current?.remainingItemCount;
  const subtitle = current
    ? `Namespace ${current.namespace} on cluster ${current.cluster}${
        remaining ? ` · about ${remaining} more` : ''
      }`
    : undefined;

  return (
    <Box>
      <Table<WorkflowRow>
        title="Runs"
        subtitle={subtitle}
        columns={columns}
        data={rows}
        isLoading={loading && !current}
        emptyContent={
          <Box p={4}>
            <Typography align="center" color="textSecondary">
              No runs of this entity yet.
            </Typography>
          </Box>
        }
        options={{
          paging: false,
          search: false,
          sorting: false,
          draggable: false,
          padding: 'dense',
        }}
      />
      <TokenPagination
        pageIndex={pages.pageIndex}
        hasPrevious={pages.hasPrevious}
        hasNext={!!current?.continue}
        onPrevious={pages.previous}
        onNext={() => current?.continue && pages.next(current.continue)}
        rowCount={items.length}
        pageSize={pageSize}
        pageSizeOptions={PAGE_SIZES}
        onPageSizeChange={setPageSize}
        disabled={loading && !current}
      />
    </Box>
  );
}
