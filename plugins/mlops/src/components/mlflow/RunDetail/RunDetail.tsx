import {
  InfoCard,
  Link,
  Progress,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import Grid from '@material-ui/core/Grid';
import Switch from '@material-ui/core/Switch';
import OpenInNew from '@material-ui/icons/OpenInNew';
import type { MlflowRunDetail } from '@mlstack/plugin-mlops-common';
import { useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import { useMlflowRun } from '../../../hooks';
import {
  formatDuration,
  formatMetric,
  formatTimestamp,
  shortId,
} from '../../../utils/format';
import { ArtifactBrowser } from '../ArtifactBrowser';
import { KeyValueTable } from '../../common/KeyValueTable';
import { MetricCharts } from '../MetricCharts';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { RunStatus } from '../RunStatus';
import { runDetailLink, runLabel } from '../RunsTable';
import { AllRunsButton } from '../../common/AllRunsButton';
import { DetailHeader } from '../../common/DetailHeader';

export interface RunDetailProps {
  entityRef: MlopsEntityRef;
  runId: string;
  /** Leaves the detail view, e.g. back to the runs table. */
  onBack?(): void;
}

function Overview(props: { run: MlflowRunDetail }) {
  const { run } = props;
  const metadata: Record<string, unknown> = {
    status: <RunStatus status={run.status} />,
    started: formatTimestamp(run.startTime),
    ended: formatTimestamp(run.endTime),
    duration: formatDuration(run.durationMs),
    user: run.user ?? '—',
    source: run.sourceName ?? '—',
    commit: run.sourceCommit ? <code>{run.sourceCommit}</code> : '—',
    'run id': <code>{run.runId}</code>,
    experiment: <code>{run.experimentId}</code>,
  };
  if (run.parentRunId) {
    metadata['parent run'] = (
      <Link to={runDetailLink(run.parentRunId)}>
        {shortId(run.parentRunId)}
      </Link>
    );
  }
  if (run.artifactUri) {
    metadata.artifacts = <code>{run.artifactUri}</code>;
  }
  return <StructuredMetadataTable metadata={metadata} dense />;
}

function Tags(props: { tags: Record<string, string> }) {
  const [showSystem, setShowSystem] = useState(false);
  const entries = Object.entries(props.tags)
    .filter(([key]) => showSystem || !key.startsWith('mlflow.'))
    .sort(([a], [b]) => a.localeCompare(b));
  return (
    <>
      <FormControlLabel
        control={
          <Switch
            size="small"
            checked={showSystem}
            onChange={e => setShowSystem(e.target.checked)}
          />
        }
        label="Show mlflow.* tags"
      />
      <KeyValueTable label="Tags" rows={entries} emptyText="No tags." />
    </>
  );
}

/** One run: its metadata, params, metrics and their history, tags and artifacts. */
export function RunDetail(props: RunDetailProps) {
  const { entityRef, runId, onBack } = props;
  const { value: run, loading, error } = useMlflowRun(entityRef, runId);

  const back = <AllRunsButton onBack={onBack} />;

  if (loading) {
    return <Progress />;
  }
  if (error || !run) {
    return (
      <>
        {back}
        <BackendErrorPanel
          error={error ?? new Error(`Run ${runId} not found`)}
          subject="MLflow"
          wording="availability"
          title={`Could not load run ${runId}`}
        />
      </>
    );
  }

  const label = runLabel(run);
  const metricKeys = run.latestMetrics.map(m => m.key).sort();

  return (
    <Grid container spacing={3}>
      <Grid item xs={12}>
        <DetailHeader
          back={back}
          title={`Run ${label}`}
          status={<RunStatus status={run.status} />}
          actions={
            <Button
              variant="outlined"
              color="primary"
              endIcon={<OpenInNew />}
              href={run.uiUrl}
              target="_blank"
              rel="noopener noreferrer"
            >
              Open in MLflow
            </Button>
          }
        />
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Overview">
          <Overview run={run} />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Parameters">
          <KeyValueTable
            label="Parameters"
            keyHeader="Param"
            rows={Object.entries(run.params).sort(([a], [b]) =>
              a.localeCompare(b),
            )}
            emptyText="No parameters logged."
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Metrics">
          <KeyValueTable
            label="Latest metrics"
            keyHeader="Metric"
            valueHeader="Latest value (step)"
            rows={[...run.latestMetrics]
              .sort((a, b) => a.key.localeCompare(b.key))
              .map(m => [m.key, `${formatMetric(m.value)} (step ${m.step})`])}
            emptyText="No metrics logged."
          />
        </InfoCard>
      </Grid>
      <Grid item xs={12} md={6}>
        <InfoCard title="Tags">
          <Tags tags={run.tags} />
        </InfoCard>
      </Grid>
      {run.datasets.length > 0 && (
        <Grid item xs={12} md={6}>
          <InfoCard title="Datasets">
            <KeyValueTable
              label="Datasets"
              keyHeader="Dataset"
              valueHeader="Context · source · digest"
              rows={run.datasets.map(d => [
                d.name,
                [d.context, d.sourceType, d.digest].filter(Boolean).join(' · '),
              ])}
            />
          </InfoCard>
        </Grid>
      )}
      <Grid item xs={12} md={run.datasets.length > 0 ? 6 : 12}>
        <InfoCard title="Artifacts">
          <ArtifactBrowser entityRef={entityRef} runId={run.runId} />
        </InfoCard>
      </Grid>
      <Grid item xs={12}>
        <InfoCard title="Metric history">
          <MetricCharts
            entityRef={entityRef}
            metricKeys={metricKeys}
            runs={[{ runId: run.runId, label }]}
          />
        </InfoCard>
      </Grid>
    </Grid>
  );
}
