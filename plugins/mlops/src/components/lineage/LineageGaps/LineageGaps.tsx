import { useState } from 'react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import type { LineageGap } from '@mlstack/plugin-mlops-common';
import Alert from '@material-ui/lab/Alert';

const UPSTREAM_NAMES = {
  mlflow: 'MLflow',
  argo: 'Argo Workflows',
  kserve: 'KServe',
};

/** Gaps of one reason listed before the rest are folded (a model of 200 versions has many). */
export const GAPS_SHOWN_PER_REASON = 5;

/**
 * The links the lineage could not make, each saying which and why. An upstream that failed
 * is an error; a missing tag, workflow or serving is a warning. Past GAPS_SHOWN_PER_REASON
 * of one reason, the others are counted until "Show all".
 */
export function LineageGaps(props: { gaps: LineageGap[] }) {
  const { gaps } = props;
  const [showAll, setShowAll] = useState(false);
  const seen = new Map<string, number>();
  const shown = gaps.filter(gap => {
    const count = (seen.get(gap.reason) ?? 0) + 1;
    seen.set(gap.reason, count);
    return showAll || count <= GAPS_SHOWN_PER_REASON;
  });
  const folded = gaps.length - shown.length;
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
        {shown.map(gap => (
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
      {folded > 0 && (
        <Box display="flex" alignItems="center" style={{ gap: 8 }}>
          <Typography variant="body2" color="textSecondary">
            {folded} more of the same kinds
          </Typography>
          <Button size="small" onClick={() => setShowAll(true)}>
            Show all
          </Button>
        </Box>
      )}
    </Box>
  );
}
