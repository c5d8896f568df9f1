import { Link, Progress } from '@backstage/core-components';
import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import Typography from '@material-ui/core/Typography';
import { MLFLOW_EXPERIMENT_NAME_ANNOTATION } from '@mlstack/plugin-mlops-common';
import type { MlopsEntityRef } from '../../../api';
import { useMlflowExperiments } from '../../../hooks';
import { MissingMlflowItems } from '../MissingMlflowItems';
import { RefusedMlflowItems, UnclaimedChip } from '../MlflowOwnership';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';
import { ModelRegistryCard } from '../ModelRegistryCard';
import { RunsTable } from '../RunsTable';

export interface MlflowOverviewProps {
  entityRef: MlopsEntityRef;
  /** The entity names experiments (`mlflow.org/experiment-name`). */
  hasExperiments: boolean;
}

function Experiments(props: { entityRef: MlopsEntityRef }) {
  const { value, loading, error } = useMlflowExperiments(props.entityRef);
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
  const { experiments, missingExperiments, refusedExperiments, instance } =
    value;
  return (
    <Grid container spacing={3}>
      {refusedExperiments.length > 0 && (
        <Grid item xs={12}>
          <RefusedMlflowItems
            items={refusedExperiments}
            itemKind="experiment"
          />
        </Grid>
      )}
      {missingExperiments.length > 0 && (
        <Grid item xs={12}>
          <MissingMlflowItems
            annotation={MLFLOW_EXPERIMENT_NAME_ANNOTATION}
            names={missingExperiments}
            itemKind="experiment"
            variant={experiments.length === 0 ? 'empty' : 'warning'}
          />
        </Grid>
      )}
      {experiments.length > 0 && (
        <>
          <Grid item xs={12}>
            <Box
              display="flex"
              flexWrap="wrap"
              alignItems="baseline"
              style={{ gap: 12 }}
            >
              <Typography variant="body2" color="textSecondary">
                Experiments on MLflow instance <code>{instance}</code>:
              </Typography>
              {experiments.map(experiment => (
                <Box
                  key={experiment.experimentId}
                  display="inline-flex"
                  alignItems="center"
                  style={{ gap: 4 }}
                >
                  <Link to={experiment.uiUrl}>{experiment.name}</Link>
                  <UnclaimedChip claim={experiment.claim} />
                </Box>
              ))}
            </Box>
          </Grid>
          <Grid item xs={12}>
            <RunsTable entityRef={props.entityRef} experiments={experiments} />
          </Grid>
        </>
      )}
    </Grid>
  );
}

/** The MLflow tab's landing view: experiments with their runs, and models. */
export function MlflowOverview(props: MlflowOverviewProps) {
  const { entityRef, hasExperiments } = props;
  return (
    <Grid container spacing={3}>
      {hasExperiments && (
        <Grid item xs={12}>
          <Experiments entityRef={entityRef} />
        </Grid>
      )}
      <Grid item xs={12}>
        <ModelRegistryCard linkRunsToDetail />
      </Grid>
    </Grid>
  );
}
