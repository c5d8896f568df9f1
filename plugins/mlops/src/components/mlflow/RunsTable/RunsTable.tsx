import { Table } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import CompareArrows from '@material-ui/icons/CompareArrows';
import type { MlflowExperiment, MlflowRun } from '@mlstack/plugin-mlops-common';
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import type { MlopsEntityRef } from '../../../api';
import { useMlflowRuns, usePageTokens } from '../../../hooks';
import {
  DEFAULT_RUN_SORT,
  type RunSort,
  toOrderByClause,
} from '../../../utils/orderBy';
import { ColumnChooser } from '../ColumnChooser';
import { ExperimentSelector } from '../ExperimentSelector';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { RunSearchBar } from '../RunSearchBar';
import { TokenPagination } from '../../common/TokenPagination';
import { buildRunColumns, type RunRow } from './columns';

const PAGE_SIZES = [10, 25, 50, 100];
const NO_COLUMNS: string[] = [];
/** More runs than this make the compare charts unreadable. */
export const MAX_COMPARED_RUNS = 10;

export interface RunsTableProps {
  entityRef: MlopsEntityRef;
  /** The entity's experiments; a selector is shown when there are several. */
  experiments: MlflowExperiment[];
  /** How many metric columns to show before the user picks. */
  defaultMetricColumns?: number;
  defaultPageSize?: number;
}

function unique(...lists: string[][]): string[] {
  return Array.from(new Set(lists.flat()));
}

/** The runs of the entity's experiments, searched, sorted and paged by MLflow. */
export function RunsTable(props: RunsTableProps) {
  const {
    entityRef,
    experiments,
    defaultMetricColumns = 3,
    defaultPageSize = 25,
  } = props;
  const [, setSearchParams] = useSearchParams();

  const [experimentId, setExperimentId] = useState<string | undefined>();
  const [filter, setFilter] = useState('');
  const [sort, setSort] = useState<RunSort>(DEFAULT_RUN_SORT);
  const [pageSize, setPageSize] = useState(defaultPageSize);
  const [chosenMetrics, setChosenMetrics] = useState<string[] | undefined>();
  const [chosenParams, setChosenParams] = useState<string[]>([]);
  const [selected, setSelected] = useState<Map<string, MlflowRun>>(
    () => new Map(),
  );

  const pages = usePageTokens(
    JSON.stringify([experimentId, filter, sort, pageSize]),
  );
  const {
    value: page,
    loading,
    error,
  } = useMlflowRuns(entityRef, {
    experimentIds: experimentId ? [experimentId] : undefined,
    filter: filter || undefined,
    orderBy: [toOrderByClause(sort)],
    pageToken: pages.pageToken,
    maxResults: pageSize,
  });

  // Until the user picks columns, show the first few metrics MLflow reports.
  // Set while rendering (not in an effect) so the table renders its columns once.
  if (chosenMetrics === undefined && page && page.metricKeys.length > 0) {
    setChosenMetrics(page.metricKeys.slice(0, defaultMetricColumns));
  }

  const metricColumns = chosenMetrics ?? NO_COLUMNS;
  const runs = useMemo(() => page?.runs ?? [], [page]);
  const runsById = useMemo(
    () => new Map(runs.map(run => [run.runId, run])),
    [runs],
  );
  const { columns, sortFields } = useMemo(
    () =>
      buildRunColumns({
        metricKeys: metricColumns,
        paramKeys: chosenParams,
        sort,
        runsById,
      }),
    [metricColumns, chosenParams, sort, runsById],
  );
  const rows: RunRow[] = useMemo(
    () =>
      runs.map(run => ({
        ...run,
        id: run.runId,
        tableData: { checked: selected.has(run.runId) },
      })),
    [runs, selected],
  );

  const filterError =
    error && ResponseError.is(error) && error.statusCode === 400
      ? error.cause.message
      : undefined;

  const onOrderChange = (columnIndex: number, direction: string) => {
    const field = sortFields[columnIndex];
    setSort(
      field && direction
        ? { field, direction: direction === 'asc' ? 'ASC' : 'DESC' }
        : DEFAULT_RUN_SORT,
    );
  };

  const onSelectionChange = (checkedRows: RunRow[]) => {
    setSelected(previous => {
      const next = new Map(previous);
      runs.forEach(run => next.delete(run.runId));
      checkedRows.forEach(row => {
        const run = runsById.get(row.runId);
        if (run) {
          next.set(run.runId, run);
        }
      });
      return next;
    });
  };

  const compare = () =>
    setSearchParams({ compare: Array.from(selected.keys()).join(',') });

  const tooMany = selected.size > MAX_COMPARED_RUNS;

  return (
    <Box>
      <Box
        display="flex"
        alignItems="flex-start"
        flexWrap="wrap"
        mb={2}
        style={{ gap: 16 }}
      >
        {experiments.length > 1 && (
          <ExperimentSelector
            experiments={experiments}
            value={experimentId}
            onChange={setExperimentId}
          />
        )}
        <RunSearchBar
          filter={filter}
          onSearch={setFilter}
          error={filterError}
        />
        <ColumnChooser
          metricKeys={unique(page?.metricKeys ?? [], metricColumns)}
          paramKeys={unique(page?.paramKeys ?? [], chosenParams)}
          selectedMetrics={metricColumns}
          selectedParams={chosenParams}
          onChange={({ metrics, params }) => {
            setChosenMetrics(metrics);
            setChosenParams(params);
          }}
        />
        <Tooltip
          title={
            tooMany
              ? `Compare at most ${MAX_COMPARED_RUNS} runs`
              : 'Select two or more runs to compare them'
          }
        >
          <span>
            <Button
              variant="contained"
              color="primary"
              startIcon={<CompareArrows />}
              disabled={selected.size < 2 || tooMany}
              onClick={compare}
            >
              Compare ({selected.size})
            </Button>
          </span>
        </Tooltip>
        {selected.size > 0 && (
          <Button onClick={() => setSelected(new Map())}>
            Clear selection
          </Button>
        )}
      </Box>

      {error && !filterError ? (
        <BackendErrorPanel
          error={error}
          subject="MLflow"
          wording="availability"
        />
      ) : (
        <>
          <Table<RunRow>
            title="Runs"
            columns={columns}
            data={rows}
            isLoading={loading}
            onOrderChange={onOrderChange}
            onSelectionChange={onSelectionChange}
            emptyContent={
              <Box p={4}>
                <Typography align="center" color="textSecondary">
                  {filterError
                    ? 'No runs: the filter is not valid.'
                    : 'No runs match.'}
                </Typography>
              </Box>
            }
            options={{
              paging: false,
              search: false,
              selection: true,
              showTextRowsSelected: false,
              thirdSortClick: false,
              draggable: false,
              padding: 'dense',
              selectionProps: (row: RunRow) => ({
                inputProps: { 'aria-label': `Select run ${row.runName}` },
              }),
            }}
          />
          <TokenPagination
            pageIndex={pages.pageIndex}
            hasPrevious={pages.hasPrevious}
            hasNext={!!page?.nextPageToken}
            onPrevious={pages.previous}
            onNext={() => page?.nextPageToken && pages.next(page.nextPageToken)}
            rowCount={runs.length}
            pageSize={pageSize}
            pageSizeOptions={PAGE_SIZES}
            onPageSizeChange={setPageSize}
            disabled={loading}
          />
        </>
      )}
    </Box>
  );
}
