import { LogViewer, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Typography from '@material-ui/core/Typography';
import Refresh from '@material-ui/icons/Refresh';
import Alert from '@material-ui/lab/Alert';
import { BackendErrorPanel } from '../BackendErrorPanel';

/** What the backend's log routes answer, common to Argo nodes and KServe pods. */
export interface LogsLike {
  podName?: string;
  container: string;
  available: boolean;
  reason?: string;
  text: string;
}

export interface LogPanelProps {
  logs?: LogsLike;
  loading: boolean;
  error?: Error;
  subject: string;
  onReload?(): void;
  height?: number;
}

/**
 * Pod logs in a `LogViewer`, or in words why there are none (the pod was
 * deleted by pod GC, the node is not a pod, it has not started).
 */
export function LogPanel(props: LogPanelProps) {
  const { logs, loading, error, subject, onReload, height = 320 } = props;
  if (loading && !logs) {
    return <Progress />;
  }
  if (error) {
    return (
      <BackendErrorPanel
        error={error}
        subject={subject}
        title="Could not load the logs"
      />
    );
  }
  if (!logs) {
    return null;
  }
  return (
    <Box>
      <Box display="flex" alignItems="center" mb={1} style={{ gap: 8 }}>
        <Typography variant="body2" color="textSecondary">
          {logs.podName ? (
            <>
              Pod <code>{logs.podName}</code>, container{' '}
              <code>{logs.container}</code>
            </>
          ) : (
            <>
              Container <code>{logs.container}</code>
            </>
          )}
        </Typography>
        <Box flex={1} />
        {onReload && (
          <Button
            size="small"
            startIcon={<Refresh />}
            onClick={onReload}
            disabled={loading}
          >
            Reload logs
          </Button>
        )}
      </Box>
      {!logs.available ? (
        <Alert severity="info">
          Logs are not available: {logs.reason ?? 'no pod to read.'}
        </Alert>
      ) : (
        <Box height={height} aria-label="Logs" role="log">
          {logs.text ? (
            <LogViewer text={logs.text} />
          ) : (
            <Typography variant="body2" color="textSecondary">
              The container has written no logs.
            </Typography>
          )}
        </Box>
      )}
    </Box>
  );
}
