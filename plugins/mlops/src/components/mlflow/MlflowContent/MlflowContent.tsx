import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import Box from '@material-ui/core/Box';
import { MLFLOW_EXPERIMENT_NAME_ANNOTATION } from '@mlstack/plugin-mlops-common';
import { useSearchParams } from 'react-router-dom';
import {
  getExperimentNames,
  getRegisteredModelNames,
} from '../../../conditions';
import { useEntityRef } from '../../../hooks';
import { MlflowOverview } from '../MlflowOverview';
import { RunCompare } from '../RunCompare';
import { RunDetail } from '../RunDetail';

/** Query parameter selecting the run detail view: `?run=<runId>`. */
export const RUN_QUERY_PARAM = 'run';
/** Query parameter selecting the compare view: `?compare=<runId>,<runId>`. */
export const COMPARE_QUERY_PARAM = 'compare';

/**
 * The MLflow entity tab: runs of the entity's experiments, one run in detail
 * (`?run=`), several compared (`?compare=`), and registered models.
 */
export function MlflowContent() {
  const { entity } = useEntity();
  const entityRef = useEntityRef();
  const [searchParams, setSearchParams] = useSearchParams();

  const hasExperiments = getExperimentNames(entity).length > 0;
  const hasModels = getRegisteredModelNames(entity).length > 0;
  if (!hasExperiments && !hasModels) {
    return (
      <MissingAnnotationEmptyState
        annotation={MLFLOW_EXPERIMENT_NAME_ANNOTATION}
      />
    );
  }

  const backToRuns = () => setSearchParams({});
  const runId = searchParams.get(RUN_QUERY_PARAM);
  const compare = searchParams
    .get(COMPARE_QUERY_PARAM)
    ?.split(',')
    .filter(Boolean);

  let detail: JSX.Element | null = null;
  if (runId) {
    detail = (
      <RunDetail
        key={runId}
        entityRef={entityRef}
        runId={runId}
        onBack={backToRuns}
      />
    );
  } else if (compare && compare.length > 0) {
    detail = (
      <RunCompare entityRef={entityRef} runIds={compare} onBack={backToRuns} />
    );
  }

  // The overview stays mounted under a detail view, so the runs table keeps its
  // filter, sort, page and selection when the user comes back.
  return (
    <>
      {detail}
      <Box hidden={!!detail}>
        <MlflowOverview entityRef={entityRef} hasExperiments={hasExperiments} />
      </Box>
    </>
  );
}
