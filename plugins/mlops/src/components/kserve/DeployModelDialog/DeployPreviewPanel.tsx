import { StructuredMetadataTable } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  DeployPreview,
  DeployRequest,
} from '@mlstack/plugin-mlops-common';
import { describeServedModel } from '../../../utils/servedModel';
import { stringify as toYaml } from 'yaml';

function describeAction(preview: DeployPreview, request: DeployRequest) {
  const where = `in namespace ${request.target.namespace} on cluster ${request.target.cluster}`;
  switch (preview.action) {
    case 'create':
      return `Create InferenceService ${request.serviceName} ${where}, serving the model with all traffic.`;
    case 'replace':
      return `Replace the model InferenceService ${request.serviceName} serves ${where} (full rollout: the new model takes all traffic).`;
    case 'canary':
    default:
      return `Start a canary on InferenceService ${request.serviceName} ${where}: the new model takes ${request.canaryTrafficPercent}% of the traffic until it is promoted or rolled back.`;
  }
}

export interface DeployPreviewPanelProps {
  preview: DeployPreview;
  request: DeployRequest;
}

/** What a deploy would do: the action, the resolved model, notes and the manifest. */
export function DeployPreviewPanel(props: DeployPreviewPanelProps) {
  const { preview, request } = props;
  const { model, current } = preview;
  const metadata: Record<string, unknown> = {
    model: describeServedModel(model),
    'storage URI': (
      <code style={{ wordBreak: 'break-all' }}>{model.storageUri}</code>
    ),
    flavors: model.flavors.join(', ') || '—',
    runtime: `${model.runtime.name} (${model.runtime.modelFormat}, protocol ${model.runtime.protocolVersion})`,
  };
  if (model.runId) {
    metadata['source run'] = <code>{model.runId}</code>;
  }
  if (current) {
    metadata['serving now'] = current.servedModel
      ? describeServedModel(current.servedModel)
      : current.predictor.storageUri ?? '—';
  }
  return (
    <Box
      display="flex"
      flexDirection="column"
      style={{ gap: 16 }}
      aria-label="Deploy preview"
      component="section"
    >
      <Alert severity="info" icon={false} role="status">
        <Typography variant="subtitle2" component="span">
          {preview.action === 'create' && 'Create: '}
          {preview.action === 'replace' && 'Replace: '}
          {preview.action === 'canary' && 'Canary: '}
        </Typography>
        {describeAction(preview, request)}
      </Alert>
      <StructuredMetadataTable dense metadata={metadata} />
      {preview.notes.map(note => (
        <Alert key={note} severity="warning" role="note">
          {note}
        </Alert>
      ))}
      <Box>
        <Typography variant="subtitle2">Manifest</Typography>
        <Box
          component="pre"
          aria-label="Manifest"
          p={1}
          m={0}
          bgcolor="background.default"
          style={{ overflow: 'auto', maxHeight: 320, fontSize: 12 }}
        >
          {toYaml(preview.manifest)}
        </Box>
      </Box>
    </Box>
  );
}
