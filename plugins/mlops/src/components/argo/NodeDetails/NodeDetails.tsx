import { InfoCard, StructuredMetadataTable } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import IconButton from '@material-ui/core/IconButton';
import Typography from '@material-ui/core/Typography';
import Close from '@material-ui/icons/Close';
import type {
  ArgoArtifact,
  ArgoNode,
  ArgoNodeInputs,
} from '@mlstack/plugin-mlops-common';
import type { MlopsEntityRef } from '../../../api';
import { useArgoNodeLogs, useNow } from '../../../hooks';
import { elapsedMs, formatDuration, formatTime } from '../../../utils/format';
import { ArgoPhase, isLivePhase } from '../ArgoPhase';
import { KeyValueTable } from '../../common/KeyValueTable';
import { LogPanel } from '../../common/LogPanel';

/** Where an artifact is, as one line: `s3://bucket/key`, a URL, … */
export function artifactLocation(artifact: ArgoArtifact): string {
  const loc = artifact.location;
  if (!loc) {
    return '—';
  }
  if (loc.url) {
    return loc.key ? `${loc.url} (${loc.key})` : loc.url;
  }
  if (loc.bucket || loc.key) {
    return `${loc.storage}://${[loc.bucket, loc.key]
      .filter(Boolean)
      .join('/')}`;
  }
  return loc.storage;
}

/** Nodes that run a pod: the only ones with logs. */
export function hasPod(node: ArgoNode): boolean {
  return node.type === 'Pod' || node.type === 'Container' || !!node.podName;
}

function Io(props: { title: string; io: ArgoNodeInputs }) {
  const { title, io } = props;
  if (io.parameters.length === 0 && io.artifacts.length === 0) {
    return null;
  }
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">{title}</Typography>
      {io.parameters.length > 0 && (
        <KeyValueTable
          label={`${title} parameters`}
          keyHeader="Parameter"
          rows={io.parameters.map(p => [p.name, p.value ?? '—'])}
        />
      )}
      {io.artifacts.length > 0 && (
        <KeyValueTable
          label={`${title} artifacts`}
          keyHeader="Artifact"
          valueHeader="Location"
          rows={io.artifacts.map(a => [
            a.name,
            <>
              <code>{artifactLocation(a)}</code>
              {a.path && (
                <Typography variant="caption" display="block">
                  path {a.path}
                  {a.optional ? ' (optional)' : ''}
                </Typography>
              )}
            </>,
          ])}
        />
      )}
    </Box>
  );
}

function NodeLogs(props: {
  entityRef: MlopsEntityRef;
  workflow: string;
  node: ArgoNode;
}) {
  const { entityRef, workflow, node } = props;
  const { value, loading, error, retry } = useArgoNodeLogs(
    entityRef,
    workflow,
    node.id,
  );
  return (
    <LogPanel
      logs={value}
      loading={loading}
      error={error}
      subject="Argo Workflows"
      onReload={retry}
    />
  );
}

export interface NodeDetailsProps {
  entityRef: MlopsEntityRef;
  workflow: string;
  node: ArgoNode;
  onClose?(): void;
}

/** One node of a workflow: what it is, how it went, its inputs, outputs and logs. */
export function NodeDetails(props: NodeDetailsProps) {
  const { entityRef, workflow, node, onClose } = props;
  const now = useNow(isLivePhase(node.phase));

  const metadata: Record<string, unknown> = {
    type: node.type,
    phase: <ArgoPhase phase={node.phase} />,
    template: node.templateRef
      ? `${node.templateRef.name}/${node.templateRef.template}${
          node.templateRef.clusterScope ? ' (cluster)' : ''
        }`
      : node.templateName ?? '—',
    started: formatTime(node.startedAt),
    finished: formatTime(node.finishedAt),
    duration: formatDuration(elapsedMs(node, now)),
  };
  if (node.type === 'Retry' || node.retries > 0) {
    metadata.retries = node.retries;
  }
  if (node.progress) {
    metadata.progress = `${node.progress.done}/${node.progress.total}`;
  }
  if (node.outputs.exitCode !== undefined) {
    metadata['exit code'] = node.outputs.exitCode;
  }
  if (node.podName) {
    metadata.pod = <code>{node.podName}</code>;
  }
  if (node.hostNodeName) {
    metadata.host = node.hostNodeName;
  }
  if (node.message) {
    metadata.message = node.message;
  }
  if (node.outputs.result !== undefined) {
    metadata.result = <code>{node.outputs.result}</code>;
  }

  return (
    <InfoCard
      title={`Step ${node.displayName}`}
      subheader={node.name}
      action={
        onClose && (
          <IconButton aria-label="Close step details" onClick={onClose}>
            <Close />
          </IconButton>
        )
      }
    >
      <StructuredMetadataTable metadata={metadata} dense />
      <Io title="Inputs" io={node.inputs} />
      <Io title="Outputs" io={node.outputs} />
      {hasPod(node) && (
        <Box mt={2}>
          <Typography variant="subtitle2">Logs</Typography>
          <NodeLogs
            key={node.id}
            entityRef={entityRef}
            workflow={workflow}
            node={node}
          />
        </Box>
      )}
    </InfoCard>
  );
}
