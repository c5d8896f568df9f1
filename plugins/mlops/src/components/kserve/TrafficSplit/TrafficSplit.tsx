import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import type { InferenceServiceSummary } from '@mlstack/plugin-mlops-common';

const COLORS = ['#1565c0', '#8e24aa', '#00897b', '#f9a825', '#6d4c41'];

function revisionRole(
  service: InferenceServiceSummary,
  revision: string | undefined,
): string[] {
  const roles: string[] = [];
  if (!revision) {
    return roles;
  }
  if (revision === service.latestReadyRevision) {
    roles.push('latest ready');
  }
  if (revision === service.latestRolledoutRevision) {
    roles.push('rolled out');
  }
  if (revision === service.previousRolledoutRevision) {
    roles.push('previous');
  }
  return roles;
}

/** Why there is no revision traffic to show. */
function noTrafficSplit(service: InferenceServiceSummary): string {
  if (service.deploymentMode === 'Knative') {
    return 'No traffic split reported yet.';
  }
  // Standard canaries (spec.canary) are their own deployments, not revisions.
  if (service.canaries.length > 0) {
    return `No revision traffic split: in ${service.deploymentMode} mode each canary runs as its own deployment; the shares under Models are set on a Gateway API HTTPRoute.`;
  }
  return `No traffic split: ${service.deploymentMode} mode sends all traffic to the current deployment.`;
}

/**
 * How the predictor's traffic is split across revisions: a bar and a table
 * (revision, share, latest, tag), with the canary share and the latest ready
 * and rolled out revisions.
 */
export function TrafficSplit(props: { service: InferenceServiceSummary }) {
  const { service } = props;
  const { traffic } = service;
  const canary = service.predictor.canaryTrafficPercent;

  return (
    <Box>
      {canary !== undefined && (
        <Typography variant="body2">
          Canary rollout: a new revision gets {canary}% of the traffic until it
          is promoted
        </Typography>
      )}
      {traffic.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          {noTrafficSplit(service)}
        </Typography>
      ) : (
        <>
          <Box
            display="flex"
            height={16}
            borderRadius={4}
            overflow="hidden"
            my={1}
            role="img"
            aria-label={`Traffic: ${traffic
              .map(t => `${t.revisionName ?? 'latest'} ${t.percent}%`)
              .join(', ')}`}
          >
            {traffic.map((t, i) => (
              <Tooltip
                key={`${t.revisionName}-${t.tag}-${i}`}
                title={`${t.revisionName ?? 'latest'}: ${t.percent}%`}
              >
                <Box
                  width={`${t.percent}%`}
                  style={{ backgroundColor: COLORS[i % COLORS.length] }}
                />
              </Tooltip>
            ))}
          </Box>
          <Table size="small" aria-label={`Traffic of ${service.name}`}>
            <TableHead>
              <TableRow>
                <TableCell>Revision</TableCell>
                <TableCell align="right">Traffic</TableCell>
                <TableCell>Tag</TableCell>
                <TableCell>Role</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {traffic.map((t, i) => (
                <TableRow key={`${t.revisionName}-${t.tag}-${i}`}>
                  <TableCell>
                    <Box display="flex" alignItems="center" style={{ gap: 6 }}>
                      <Box
                        width={10}
                        height={10}
                        borderRadius={2}
                        style={{ backgroundColor: COLORS[i % COLORS.length] }}
                      />
                      <code>{t.revisionName ?? '(latest)'}</code>
                    </Box>
                  </TableCell>
                  <TableCell align="right">{t.percent}%</TableCell>
                  <TableCell>{t.tag ?? ''}</TableCell>
                  <TableCell>
                    {[
                      ...(t.latest ? ['latest'] : []),
                      ...revisionRole(service, t.revisionName),
                    ].join(', ')}
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </>
      )}
    </Box>
  );
}
