import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { InferenceServiceView } from '@mlstack/plugin-mlops-common';
import { type ModelShare, modelShares } from './modelShares';

function CanaryStatus(props: { share: ModelShare }) {
  const { share } = props;
  if (share.role !== 'canary') {
    return null;
  }
  if (share.ready === undefined) {
    return <StatusPending>Canary status not reported yet</StatusPending>;
  }
  return share.ready ? (
    <StatusOK>Canary ready</StatusOK>
  ) : (
    <StatusError>Canary not ready</StatusError>
  );
}

/**
 * Which model version serves which share of the service's traffic, the canary's status,
 * and whether the service is stopped.
 */
export function ServedModels(props: { service: InferenceServiceView }) {
  const { service } = props;
  const shares = modelShares(service);
  return (
    <Box>
      {service.stopped && (
        <Box mb={1}>
          <StatusAborted>
            Stopped: KServe has scaled the service away; it answers no requests
            until it is started.
          </StatusAborted>
        </Box>
      )}
      <Table size="small" aria-label={`Models of ${service.name}`}>
        <TableHead>
          <TableRow>
            <TableCell>Role</TableCell>
            <TableCell>Model</TableCell>
            <TableCell align="right">Traffic</TableCell>
            <TableCell>Status</TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {shares.map(share => (
            <TableRow key={share.label}>
              <TableCell>{share.label}</TableCell>
              <TableCell>
                <span title={share.storageUri}>{share.model}</span>
                {share.deployed && (
                  <Typography
                    variant="caption"
                    color="textSecondary"
                    display="block"
                  >
                    {share.deployed}
                  </Typography>
                )}
              </TableCell>
              <TableCell align="right">
                {share.percent === undefined ? '—' : `${share.percent}%`}
              </TableCell>
              <TableCell>
                <CanaryStatus share={share} />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Box>
  );
}
