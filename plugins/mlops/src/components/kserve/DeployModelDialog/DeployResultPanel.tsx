import { Link } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type { RolloutResult } from '@mlstack/plugin-mlops-common';

const DONE: Record<string, string> = {
  create: 'Created InferenceService',
  replace: 'Replaced the model of InferenceService',
  canary: 'Started a canary on InferenceService',
};

/** What a deploy did, and the MLflow tags it wrote (or failed to). */
export function DeployResultPanel(props: { result: RolloutResult }) {
  const { result } = props;
  const { written, removed, failed } = result.mlflowTags;
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <Alert severity="success" role="status">
        {DONE[result.action] ?? `${result.action}:`} {result.service} in
        namespace {result.namespace} on cluster {result.cluster}. The Serving
        tab shows it as it rolls out.
      </Alert>
      {result.summary?.url && (
        <Typography variant="body2">
          URL: <Link to={result.summary.url}>{result.summary.url}</Link>
        </Typography>
      )}
      {(written.length > 0 || removed.length > 0) && (
        <Typography variant="body2" color="textSecondary">
          {written.length > 0 && `MLflow tags written: ${written.join(', ')}. `}
          {removed.length > 0 && `MLflow tags removed: ${removed.join(', ')}.`}
        </Typography>
      )}
      {failed.length > 0 && (
        <Alert severity="warning" role="note">
          The deploy succeeded, but these MLflow tags could not be written or
          removed: {failed.join(', ')}
        </Alert>
      )}
    </Box>
  );
}
