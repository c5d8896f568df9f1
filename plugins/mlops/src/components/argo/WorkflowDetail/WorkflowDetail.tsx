import {
  InfoCard,
  Link,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  ArgoNode,
  ArgoWorkflowDetail,
  ArgoWorkflowSummary,
} from '@mlstack/plugin-mlops-common';
import { useCallback, useMemo, useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import { useArgoWorkflow, useNow, usePolling } from '../../../hooks';
import { elapsedMs, formatDuration, formatTime } from '../../../utils/format';
import { AllRunsButton } from '../../common/AllRunsButton';
import { ArgoPhase, isLivePhase, isLiveRun } from '../ArgoPhase';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { KeyValueTable } from '../../common/KeyValueTable';
import { NodeDetails } from '../NodeDetails';
import { WorkflowActions } from '../WorkflowActions';
import { WorkflowGraph } from '../WorkflowGraph';
import { workflowLink } from '../WorkflowsTable';
import { DetailHeader } from '../../common/DetailHeader';

export interface WorkflowDetailProps {
  entityRef: MlopsEntityRef;
  workflow: string;
  /** Back to the runs table. */
  onBack?(): void;
  /** Shows another run (e.g. the one a resubmit created). */
  onOpenWorkflow(name: string): void;
}

function Overview(props: { run: ArgoWorkflowDetail; now: number }) {
  const { run, now } = props;
  const metadata: Record<string, unknown> = {
    phase: <ArgoPhase phase={run.phase} />,
    started: formatTime(run.startedAt),
    finished: formatTime(run.finishedAt),
    duration: formatDuration(elapsedMs(run, now)),
  };
  if (run.estimatedDurationMs !== undefined && isLivePhase(run.phase)) {
    metadata['estimated duration'] = formatDuration(run.estimatedDurationMs);
  }
  metadata.progress = run.progress
    ? `${run.progress.done}/${run.progress.total}`
    : '—';
  metadata.template = run.templateName
    ? `${run.templateName}${run.clusterScopedTemplate ? ' (cluster)' : ''}`
    : '—';
  if (run.entrypoint) {
    metadata.entrypoint = run.entrypoint;
  }
  if (run.creator) {
    metadata.creator = run.creator;
  }
  if (run.cronWorkflowName) {
    metadata['scheduled by'] = run.cronWorkflowName;
  }
  if (run.resubmittedFrom) {
    metadata['resubmitted from'] = (
      <Link to={workflowLink(run.resubmittedFrom)}>{run.resubmittedFrom}</Link>
    );
  }
  if (run.shutdown) {
    metadata.shutdown = run.shutdown;
  }
  if (run.suspended) {
    metadata.suspended = 'yes';
  }
  metadata.namespace = run.namespace;
  if (run.message) {
    metadata.message = run.message;
  }
  return <StructuredMetadataTable metadata={metadata} dense />;
}

/**
 * One workflow: its phase, times, message and parameters, the actions on it,
 * its graph, and a selected step's details and logs. Refreshes itself while
 * the run is pending or running.
 */
export function WorkflowDetail(props: WorkflowDetailProps) {
  const { entityRef, workflow, onBack, onOpenWorkflow } = props;
  const {
    value: run,
    loading,
    error,
    retry,
  } = useArgoWorkflow(entityRef, workflow);
  const [selectedId, setSelectedId] = useState<string | undefined>();

  const live = !!run && isLiveRun(run);
  usePolling(live && !error, retry);
  const now = useNow(live);

  const selected = useMemo(
    () => run?.nodes.find(n => n.id === selectedId),
    [run, selectedId],
  );
  const onSelectNode = useCallback(
    (node: ArgoNode) => setSelectedId(node.id),
    [],
  );
  const onResubmitted = useCallback(
    (created: ArgoWorkflowSummary) => onOpenWorkflow(created.name),
    [onOpenWorkflow],
  );

  const back = <AllRunsButton onBack={onBack} />;

  if (!run) {
    if (loading) {
      return <Progress />;
    }
    return (
      <>
        {back}
        <BackendErrorPanel
          error={error ?? new Error(`Run ${workflow} not found`)}
          subject="Argo Workflows"
          title={`Could not load run ${workflow}`}
        />
      </>
    );
  }

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DetailHeader
          back={back}
          title={`Run ${run.name}`}
          status={<ArgoPhase phase={run.phase} />}
          actions={
            <WorkflowActions
              entityRef={entityRef}
              run={run}
              onResubmitted={onResubmitted}
              onChanged={retry}
            />
          }
        />
        {run.title && <Typography variant="subtitle1">{run.title}</Typography>}
        {run.description && (
          <Typography variant="body2" color="textSecondary">
            {run.description}
          </Typography>
        )}
      </Grid>
      {error && (
        <Grid item xs={12}>
          <BackendErrorPanel
            error={error}
            subject="Argo Workflows"
            title="Could not refresh the run"
          />
        </Grid>
      )}
      {run.message && isFailedMessage(run) && (
        <Grid item xs={12}>
          <Alert severity="error">{run.message}</Alert>
        </Grid>
      )}
      <Grid item xs={12} md={6}>
        <InfoCard title="Overview">
          <Overview run={run} now={now} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Parameters">
          <KeyValueTable
            label="Parameters"
            keyHeader="Parameter"
            rows={Object.entries(run.parameters)}
            emptyText="No parameters."
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} lg={selected ? 7 : 12}>
        <InfoCard
          title="Steps"
          subheader={`${run.nodes.length} nodes · click a step for its details and logs`}
        >
          {run.nodesOffloaded && run.nodes.length === 0 ? (
            <Alert severity="info">
              The controller moved this run's node status to its database
              (offloaded); the steps can only be read through the Argo Server.
            </Alert>
          ) : (
            <WorkflowGraph
              nodes={run.nodes}
              edges={run.edges}
              selectedNodeId={selectedId}
              onSelectNode={onSelectNode}
            />
          )}
        </InfoCard>
      </Grid>
      {selected && (
        <Grid item xs={12} lg={5}>
          <NodeDetails
            entityRef={entityRef}
            workflow={run.name}
            node={selected}
            onClose={() => setSelectedId(undefined)}
          />
        </Grid>
      )}
    </Grid>
  );
}

function isFailedMessage(run: ArgoWorkflowSummary): boolean {
  return run.phase === 'Failed' || run.phase === 'Error';
}
