// Over 300 lines: the card's small sections (overview, conditions, model source, model state,
// last failure) each read the one InferenceServiceView and only this card renders them; a file
// each would export internals no other component uses.
import {
  InfoCard,
  Link,
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusWarning,
  StructuredMetadataTable,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import EventNote from '@material-ui/icons/EventNote';
import Subject from '@material-ui/icons/Subject';
import Alert from '@material-ui/lab/Alert';
import type {
  InferenceServiceCondition,
  InferenceServiceLogs,
  InferenceServiceView,
  RolloutResult,
} from '@mlstack/plugin-mlops-common';
import { useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import { formatTime } from '../../../utils/format';
import { ServedModels } from '../ServedModels';
import { ServiceActions } from '../ServiceActions';
import { ServiceEventsDialog } from '../ServiceEventsDialog';
import { ServiceLogsDialog } from '../ServiceLogsDialog';
import { TrafficSplit } from '../TrafficSplit';

/**
 * True while the controller has not caught up with the latest spec. Only in Knative mode:
 * KServe v0.20 copies a Standard service's `observedGeneration` from its predictor
 * Deployment's, which counts that Deployment's changes, not the InferenceService's (after a
 * promotion on the harness's node: generation 3, observed 1, for good).
 */
export function isRollingOut(service: InferenceServiceView): boolean {
  return (
    service.deploymentMode === 'Knative' &&
    service.generation !== undefined &&
    service.observedGeneration !== undefined &&
    service.generation !== service.observedGeneration
  );
}

export function ConditionStatus(props: {
  condition: InferenceServiceCondition;
}) {
  const { status, severity } = props.condition;
  if (status === 'True') {
    return <StatusOK>True</StatusOK>;
  }
  if (status === 'Unknown') {
    return <StatusPending>Unknown</StatusPending>;
  }
  if (severity === 'Info' || severity === 'Warning') {
    return <StatusWarning>False</StatusWarning>;
  }
  return <StatusError>False</StatusError>;
}

function Conditions(props: { service: InferenceServiceView }) {
  const { service } = props;
  if (service.conditions.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        The controller has reported no conditions yet.
      </Typography>
    );
  }
  return (
    <Table size="small" aria-label={`Conditions of ${service.name}`}>
      <TableHead>
        <TableRow>
          <TableCell>Type</TableCell>
          <TableCell>Status</TableCell>
          <TableCell>Severity</TableCell>
          <TableCell>Reason</TableCell>
          <TableCell>Message</TableCell>
          <TableCell>Since</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {service.conditions.map(c => (
          <TableRow key={c.type}>
            <TableCell>{c.type}</TableCell>
            <TableCell>
              <ConditionStatus condition={c} />
            </TableCell>
            {/* Severity only matters while a condition is not met (absent means Error). */}
            <TableCell>
              {c.status === 'True' ? '' : c.severity ?? 'Error'}
            </TableCell>
            <TableCell>{c.reason ?? ''}</TableCell>
            <TableCell style={{ wordBreak: 'break-word' }}>
              {c.message ?? ''}
            </TableCell>
            <TableCell style={{ whiteSpace: 'nowrap' }}>
              {c.lastTransitionTime ? formatTime(c.lastTransitionTime) : ''}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

function ModelSource(props: { service: InferenceServiceView }) {
  const { service } = props;
  const { storageUri, storage } = service.predictor;
  const version = service.modelVersion;
  return (
    <Box>
      {storageUri ? (
        <code style={{ wordBreak: 'break-all' }}>{storageUri}</code>
      ) : (
        <Typography variant="body2" component="span">
          {storage?.key
            ? `storage-config key ${storage.key}${
                storage.path ? `, path ${storage.path}` : ''
              }`
            : '—'}
        </Typography>
      )}
      {version && (
        <Box
          display="flex"
          alignItems="center"
          flexWrap="wrap"
          mt={0.5}
          style={{ gap: 4 }}
        >
          <Link to={version.uiUrl}>
            {version.modelName} model v{version.version}
          </Link>
          {version.aliases.map(alias => (
            <Chip key={alias} size="small" label={alias} color="primary" />
          ))}
        </Box>
      )}
    </Box>
  );
}

function Overview(props: { service: InferenceServiceView }) {
  const { service } = props;
  const { predictor } = service;
  const metadata: Record<string, unknown> = {
    URL: service.url ? <Link to={service.url}>{service.url}</Link> : '—',
  };
  if (service.internalUrl) {
    metadata['internal URL'] = <code>{service.internalUrl}</code>;
  }
  metadata['deployment mode'] = `${service.deploymentMode} (${
    service.deploymentModeSource === 'default'
      ? 'default: nothing on the object says'
      : `from ${service.deploymentModeSource}`
  })`;
  if (predictor.modelFormat) {
    const { name, version } = predictor.modelFormat;
    metadata['model format'] = version ? `${name} ${version}` : name;
  } else {
    metadata['model format'] = predictor.image
      ? `custom container ${predictor.image}`
      : '—';
  }
  metadata.runtime = predictor.runtime
    ? `${predictor.runtime}${
        predictor.runtimeVersion ? ` ${predictor.runtimeVersion}` : ''
      }`
    : '—';
  metadata.protocol = predictor.protocolVersion ?? 'v1 (KServe default)';
  metadata.model = <ModelSource service={service} />;
  if (
    predictor.minReplicas !== undefined ||
    predictor.maxReplicas !== undefined
  ) {
    metadata.replicas = `${predictor.minReplicas ?? '?'}–${
      predictor.maxReplicas ?? '?'
    }`;
  }
  const extras = [
    service.hasTransformer && 'transformer',
    service.hasExplainer && 'explainer',
  ].filter(Boolean);
  if (extras.length > 0) {
    metadata.components = ['predictor', ...extras].join(', ');
  }
  metadata.generation =
    service.generation !== undefined
      ? `${service.generation} (observed ${service.observedGeneration ?? '—'})`
      : '—';
  return <StructuredMetadataTable metadata={metadata} dense />;
}

function ModelState(props: { service: InferenceServiceView }) {
  const state = props.service.modelState;
  if (!state) {
    return null;
  }
  const failed = (state.failedCopies ?? 0) > 0;
  return (
    <Box mt={2}>
      <Typography variant="subtitle2">Model state</Typography>
      <StructuredMetadataTable
        dense
        metadata={{
          active: state.activeModelState ?? '—',
          target: state.targetModelState ?? '—',
          transition: state.transitionStatus ?? '—',
          'failed copies': (
            <Typography
              variant="body2"
              component="span"
              color={failed ? 'error' : 'inherit'}
            >
              {state.failedCopies ?? 0}
              {state.totalCopies !== undefined
                ? ` of ${state.totalCopies}`
                : ''}
            </Typography>
          ),
        }}
      />
    </Box>
  );
}

function LastFailure(props: { service: InferenceServiceView }) {
  const info = props.service.lastFailureInfo;
  if (!info) {
    return null;
  }
  const details = [
    info.time && `at ${formatTime(info.time)}`,
    info.exitCode !== undefined && `exit code ${info.exitCode}`,
    info.modelRevisionName && `revision ${info.modelRevisionName}`,
    info.location && `on ${info.location}`,
  ].filter(Boolean);
  return (
    <Box mt={2}>
      <Alert severity="error">
        Last failure{info.reason ? `: ${info.reason}` : ''}
        {info.message ? ` — ${info.message}` : ''}
        {details.length > 0 ? ` (${details.join(', ')})` : ''}
      </Alert>
    </Box>
  );
}

export interface InferenceServiceCardProps {
  entityRef: MlopsEntityRef;
  service: InferenceServiceView;
  /** Called after promote, roll back, stop, start or delete, to reload the services. */
  onChanged?(): void;
}

/**
 * One InferenceService: readiness and every condition, where it serves from,
 * what model (and which MLflow version), traffic across revisions, model
 * state, the last failure, and its predictor logs.
 */
export function InferenceServiceCard(props: InferenceServiceCardProps) {
  const { entityRef, service, onChanged } = props;
  const [tagFailures, setTagFailures] = useState<string[]>([]);
  const changed = (result: RolloutResult) => {
    setTagFailures(result.mlflowTags.failed);
    onChanged?.();
  };
  const [logs, setLogs] = useState<
    InferenceServiceLogs['component'] | undefined
  >();
  const [events, setEvents] = useState(false);
  const rolling = isRollingOut(service);

  return (
    <InfoCard
      title={service.name}
      subheader={
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          {service.stopped && <StatusAborted>Stopped</StatusAborted>}
          {!service.stopped && service.ready && <StatusOK>Ready</StatusOK>}
          {!service.stopped && !service.ready && (
            <StatusError>Not ready</StatusError>
          )}
          {rolling && (
            <Chip
              size="small"
              color="secondary"
              label={`Rolling out: generation ${service.generation}, observed ${service.observedGeneration}`}
            />
          )}
        </Box>
      }
    >
      <ServiceActions
        entityRef={entityRef}
        service={service}
        onChanged={changed}
      />
      {tagFailures.length > 0 && (
        <Box mt={1}>
          <Alert severity="warning" role="note">
            Done, but these MLflow tags could not be updated:{' '}
            {tagFailures.join(', ')}
          </Alert>
        </Box>
      )}
      <Box mt={2}>
        <Typography variant="subtitle2">Models</Typography>
        <ServedModels service={service} />
      </Box>
      <Box mt={2}>
        <Overview service={service} />
      </Box>
      <LastFailure service={service} />
      <ModelState service={service} />
      <Box mt={2}>
        <Typography variant="subtitle2">Traffic</Typography>
        <TrafficSplit service={service} />
      </Box>
      <Box mt={2}>
        <Typography variant="subtitle2">Conditions</Typography>
        <Conditions service={service} />
      </Box>
      <Box mt={2} display="flex" style={{ gap: 8 }}>
        <Button
          variant="outlined"
          startIcon={<Subject />}
          onClick={() => setLogs('predictor')}
        >
          Predictor logs
        </Button>
        {service.hasTransformer && (
          <Button
            variant="outlined"
            startIcon={<Subject />}
            onClick={() => setLogs('transformer')}
          >
            Transformer logs
          </Button>
        )}
        {service.hasExplainer && (
          <Button
            variant="outlined"
            startIcon={<Subject />}
            onClick={() => setLogs('explainer')}
          >
            Explainer logs
          </Button>
        )}
        <Button
          variant="outlined"
          startIcon={<EventNote />}
          onClick={() => setEvents(true)}
        >
          Events
        </Button>
      </Box>
      {events && (
        <ServiceEventsDialog
          entityRef={entityRef}
          service={service.name}
          open
          onClose={() => setEvents(false)}
        />
      )}
      {logs && (
        <ServiceLogsDialog
          entityRef={entityRef}
          service={service.name}
          component={logs}
          open
          onClose={() => setLogs(undefined)}
        />
      )}
    </InfoCard>
  );
}
