import { Link, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import type { MlopsEntityRef } from '../../../api';
import { useMlflowLoggedModels, usePageTokens } from '../../../hooks';
import { formatTimestamp, shortId } from '../../../utils/format';
import {
  DeployModelButton,
  serviceNameFor,
} from '../../kserve/DeployModelDialog';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { runDetailLink } from '../RunsTable';
import { TokenPagination } from '../../common/TokenPagination';

export interface LoggedModelsTableProps {
  entityRef: MlopsEntityRef;
  /** Link source runs to the run detail view (only inside the MLflow tab). */
  linkRunsToDetail?: boolean;
}

/** The MLflow 3 logged models of the entity's experiments, paged. */
export function LoggedModelsTable(props: LoggedModelsTableProps) {
  const { entityRef, linkRunsToDetail } = props;
  const pages = usePageTokens('logged-models');
  const { value, loading, error } = useMlflowLoggedModels(
    entityRef,
    pages.pageToken,
  );

  if (error) {
    return (
      <BackendErrorPanel
        error={error}
        subject="MLflow"
        wording="availability"
        title="Could not load logged models"
      />
    );
  }
  if (loading && !value) {
    return <Progress />;
  }
  if (!value || (value.models.length === 0 && !pages.hasPrevious)) {
    return (
      <Typography variant="body2" color="textSecondary">
        No logged models in the entity's experiments.
      </Typography>
    );
  }

  return (
    <Box>
      <Table size="small" aria-label="Logged models">
        <TableHead>
          <TableRow>
            <TableCell>Name</TableCell>
            <TableCell>Model ID</TableCell>
            <TableCell>Source run</TableCell>
            <TableCell>Status</TableCell>
            <TableCell>Created</TableCell>
            <TableCell>
              <Typography variant="srOnly">Actions</Typography>
            </TableCell>
          </TableRow>
        </TableHead>
        <TableBody>
          {value.models.map(model => (
            <TableRow key={model.modelId}>
              <TableCell>
                <Link to={model.uiUrl}>{model.name}</Link>
              </TableCell>
              <TableCell>
                <code>{model.modelId}</code>
              </TableCell>
              <TableCell>
                {!model.sourceRunId && '—'}
                {model.sourceRunId && linkRunsToDetail && (
                  <Link to={runDetailLink(model.sourceRunId)}>
                    {shortId(model.sourceRunId)}
                  </Link>
                )}
                {model.sourceRunId && !linkRunsToDetail && (
                  <code>{shortId(model.sourceRunId)}</code>
                )}
              </TableCell>
              <TableCell>{model.status ?? '—'}</TableCell>
              <TableCell>{formatTimestamp(model.creationTime)}</TableCell>
              <TableCell align="right">
                <DeployModelButton
                  entityRef={entityRef}
                  source={{ type: 'loggedModel', modelId: model.modelId }}
                  defaultServiceName={serviceNameFor(model.name)}
                  notDeployable={
                    model.status && model.status !== 'READY'
                      ? `The logged model is ${model.status}, not READY`
                      : undefined
                  }
                />
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
      {(pages.hasPrevious || value.nextPageToken) && (
        <TokenPagination
          pageIndex={pages.pageIndex}
          hasPrevious={pages.hasPrevious}
          hasNext={!!value.nextPageToken}
          onPrevious={pages.previous}
          onNext={() => value.nextPageToken && pages.next(value.nextPageToken)}
          disabled={loading}
        />
      )}
    </Box>
  );
}
