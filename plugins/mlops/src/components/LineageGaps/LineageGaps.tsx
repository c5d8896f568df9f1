import Box from '@material-ui/core/Box';
import Typography from '@material-ui/core/Typography';
import type { LineageGap } from '@mlstack/plugin-mlops-common';
import Alert from '@material-ui/lab/Alert';

const UPSTREAM_NAMES = {
  mlflow: 'MLflow',
  argo: 'Argo Workflows',
  kserve: 'KServe',
};

/**
 * The links the lineage could not make, each saying which and why. An upstream that failed
 * is an error; a missing tag, workflow or serving is a warning.
 */
export function LineageGaps(props: { gaps: LineageGap[] }) {
  const { gaps } = props;
  if (gaps.length === 0) {
    return (
      <Typography variant="body2" color="textSecondary">
        Every link of the chain was made.
      </Typography>
    );
  }
  return (
    <Box display="flex" flexDirection="column" style={{ gap: 8 }}>
      <Typography variant="subtitle2">
        Links that could not be made ({gaps.length})
      </Typography>
      <Box
        component="ul"
        m={0}
        p={0}
        aria-label="Lineage gaps"
        style={{ listStyle: 'none' }}
      >
        {gaps.map(gap => (
          <Box
            component="li"
            mb={1}
            key={`${gap.reason}:${gap.nodeId ?? ''}:${gap.message}`}
          >
            <Alert
              severity={gap.reason === 'upstream-error' ? 'error' : 'warning'}
            >
              {gap.upstream ? `${UPSTREAM_NAMES[gap.upstream]}: ` : ''}
              {gap.message}
            </Alert>
          </Box>
        ))}
      </Box>
    </Box>
  );
}
