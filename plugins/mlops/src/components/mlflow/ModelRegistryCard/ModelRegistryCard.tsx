import {
  InfoCard,
  Link,
  Progress,
  StatusError,
  StatusOK,
  StatusPending,
} from '@backstage/core-components';
import { useEntity } from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import Table from '@material-ui/core/Table';
import TableBody from '@material-ui/core/TableBody';
import TableCell from '@material-ui/core/TableCell';
import TableHead from '@material-ui/core/TableHead';
import TableRow from '@material-ui/core/TableRow';
import Typography from '@material-ui/core/Typography';
import {
  MLFLOW_REGISTERED_MODEL_ANNOTATION,
  type MlflowModelVersion,
  type MlflowRegisteredModel,
  type OwnershipClaim,
} from '@mlstack/plugin-mlops-common';
import type { MlopsEntityRef } from '../../../api';
import {
  getExperimentNames,
  getRegisteredModelNames,
} from '../../../conditions';
import { useEntityRef, useMlflowModels } from '../../../hooks';
import { formatTimestamp, shortId } from '../../../utils/format';
import {
  DeployAliasChip,
  DeployModelButton,
  serviceNameFor,
} from '../../kserve/DeployModelDialog';
import { LoggedModelsTable } from '../LoggedModelsTable';
import { MissingMlflowItems } from '../MissingMlflowItems';
import { RefusedMlflowItems, UnclaimedChip } from '../MlflowOwnership';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';

function VersionStatus(props: { version: MlflowModelVersion }) {
  const { status, statusMessage } = props.version;
  const content = (
    <>
      {status === 'READY' && <StatusOK>Ready</StatusOK>}
      {status === 'PENDING_REGISTRATION' && (
        <StatusPending>Pending registration</StatusPending>
      )}
      {status === 'FAILED_REGISTRATION' && (
        <StatusError>Registration failed</StatusError>
      )}
    </>
  );
  return statusMessage ? <span title={statusMessage}>{content}</span> : content;
}

function byNewestVersion(a: MlflowModelVersion, b: MlflowModelVersion) {
  return Number(b.version) - Number(a.version);
}

/** Why a version cannot be deployed, or undefined when it can. */
function notDeployable(version: MlflowModelVersion): string | undefined {
  return version.status === 'READY'
    ? undefined
    : 'Only a version whose registration is ready can be deployed';
}

function RegisteredModel(props: {
  entityRef: MlopsEntityRef;
  model: MlflowRegisteredModel & { claim?: OwnershipClaim };
}) {
  const { entityRef, model } = props;
  const serviceName = serviceNameFor(model.name);
  const versions = [...model.versions].sort(byNewestVersion);
  return (
    <Box
      mb={3}
      component="section"
      aria-label={`Registered model ${model.name}`}
    >
      <Box
        display="flex"
        alignItems="baseline"
        flexWrap="wrap"
        style={{ gap: 12 }}
      >
        <Typography variant="h6" component="h3">
          {model.name}
        </Typography>
        <UnclaimedChip claim={model.claim} />
        <Link to={model.uiUrl}>Open model in MLflow</Link>
      </Box>
      {model.description && (
        <Typography variant="body2" color="textSecondary" paragraph>
          {model.description}
        </Typography>
      )}
      {versions.length === 0 ? (
        <Typography variant="body2" color="textSecondary">
          No versions registered yet.
        </Typography>
      ) : (
        <Box style={{ overflowX: 'auto' }}>
          <Table size="small" aria-label={`Versions of ${model.name}`}>
            <TableHead>
              <TableRow>
                <TableCell>Version</TableCell>
                <TableCell>Status</TableCell>
                <TableCell>Aliases</TableCell>
                <TableCell>Created</TableCell>
                <TableCell>Source run</TableCell>
                <TableCell>
                  <Typography variant="srOnly">Actions</Typography>
                </TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {versions.map(version => (
                <TableRow key={version.version}>
                  <TableCell>
                    <Link
                      to={version.uiUrl}
                      aria-label={`Version ${version.version} of ${model.name} in MLflow`}
                    >
                      Version {version.version}
                    </Link>
                  </TableCell>
                  <TableCell>
                    <VersionStatus version={version} />
                  </TableCell>
                  <TableCell>
                    <Box display="flex" flexWrap="wrap" style={{ gap: 4 }}>
                      {version.aliases.map(alias => (
                        <DeployAliasChip
                          key={alias}
                          entityRef={entityRef}
                          modelName={model.name}
                          alias={alias}
                          defaultServiceName={serviceName}
                          notDeployable={notDeployable(version)}
                          color={alias === 'champion' ? 'primary' : 'default'}
                        />
                      ))}
                    </Box>
                  </TableCell>
                  <TableCell>{formatTimestamp(version.creationTime)}</TableCell>
                  <TableCell>
                    {version.runId && version.runUiUrl && (
                      <Link to={version.runUiUrl}>
                        {shortId(version.runId)}
                      </Link>
                    )}
                    {version.runId && !version.runUiUrl && (
                      <code>{shortId(version.runId)}</code>
                    )}
                    {!version.runId && '—'}
                  </TableCell>
                  <TableCell align="right">
                    <DeployModelButton
                      entityRef={entityRef}
                      source={{
                        type: 'modelVersion',
                        modelName: model.name,
                        version: version.version,
                      }}
                      defaultServiceName={serviceName}
                      notDeployable={notDeployable(version)}
                    />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </Box>
      )}
    </Box>
  );
}

function RegisteredModels(props: { entityRef: MlopsEntityRef }) {
  const { value, loading, error } = useMlflowModels(props.entityRef);
  if (loading) {
    return <Progress />;
  }
  if (error) {
    return (
      <BackendErrorPanel
        error={error}
        subject="MLflow"
        wording="availability"
      />
    );
  }
  if (!value) {
    return null;
  }
  const allMissing =
    value.models.length === 0 && value.missingModels.length > 0;
  return (
    <>
      <RefusedMlflowItems
        items={value.refusedModels}
        itemKind="registered model"
      />
      <MissingMlflowItems
        annotation={MLFLOW_REGISTERED_MODEL_ANNOTATION}
        names={value.missingModels}
        itemKind="registered model"
        variant={allMissing ? 'empty' : 'warning'}
      />
      {value.models.map(model => (
        <RegisteredModel
          key={model.name}
          entityRef={props.entityRef}
          model={model}
        />
      ))}
    </>
  );
}

/**
 * Props of the MLflow models card (EntityMlflowModelsCard).
 *
 * @public
 */
export interface ModelRegistryCardProps {
  /** Link source runs of logged models to the MLflow tab's run detail view. */
  linkRunsToDetail?: boolean;
}

/**
 * The entity's MLflow registered models with their versions and aliases, and
 * the logged models of its experiments.
 */
export function ModelRegistryCard(props: ModelRegistryCardProps) {
  const { entity } = useEntity();
  const entityRef = useEntityRef();
  const hasModels = getRegisteredModelNames(entity).length > 0;
  const hasExperiments = getExperimentNames(entity).length > 0;

  return (
    <InfoCard title="MLflow models">
      {hasModels && (
        <Box mb={2}>
          <Typography variant="overline" component="h3">
            Registered models
          </Typography>
          <RegisteredModels entityRef={entityRef} />
        </Box>
      )}
      {hasExperiments && (
        <Box>
          <Typography variant="overline" component="h3">
            Logged models
          </Typography>
          <LoggedModelsTable
            entityRef={entityRef}
            linkRunsToDetail={props.linkRunsToDetail}
          />
        </Box>
      )}
      {!hasModels && !hasExperiments && (
        <Typography variant="body2" color="textSecondary">
          Add the <code>{MLFLOW_REGISTERED_MODEL_ANNOTATION}</code> annotation
          to show registered models.
        </Typography>
      )}
    </InfoCard>
  );
}
