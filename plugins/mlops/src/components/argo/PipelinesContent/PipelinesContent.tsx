import { stringifyEntityRef } from '@backstage/catalog-model';
import { WarningPanel } from '@backstage/core-components';
import {
  MissingAnnotationEmptyState,
  useEntity,
} from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import PlayArrow from '@material-ui/icons/PlayArrow';
import {
  ARGO_WORKFLOW_TEMPLATE_ANNOTATION,
  argoWorkflowSubmitPermission,
  type ArgoWorkflowSummary,
  KUBERNETES_NAMESPACE_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import { useCallback, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import {
  getArgoWorkflowTemplateNames,
  getKubernetesNamespace,
} from '../../../conditions';
import { useArgoWorkflowTemplates, useEntityRef } from '../../../hooks';
import { describeBackendError } from '../../common/BackendErrorPanel';
import { SubmitWorkflowDialog } from '../SubmitWorkflowDialog';
import { WorkflowDetail } from '../WorkflowDetail';
import { WORKFLOW_QUERY_PARAM, WorkflowsTable } from '../WorkflowsTable';

function SubmitRun(props: { onSubmitted(run: ArgoWorkflowSummary): void }) {
  const { onSubmitted } = props;
  const { entity } = useEntity();
  const entityRef = useEntityRef();
  const hasTemplates = getArgoWorkflowTemplateNames(entity).length > 0;
  const { value, error } = useArgoWorkflowTemplates(entityRef, hasTemplates);
  const { allowed, loading } = usePermission({
    permission: argoWorkflowSubmitPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  const [open, setOpen] = useState(false);

  if (!hasTemplates) {
    return null;
  }
  const templates = value?.templates.filter(t => t.submittable) ?? [];
  let reason: string | undefined;
  if (!loading && !allowed) {
    reason = 'You are not allowed to submit runs of this entity';
  } else if (value && templates.length === 0) {
    reason = 'None of the entity’s WorkflowTemplates can be submitted';
  }
  const button = (
    <Button
      variant="contained"
      color="primary"
      startIcon={<PlayArrow />}
      disabled={!value || loading || !!reason}
      onClick={() => setOpen(true)}
    >
      Submit run
    </Button>
  );

  return (
    <>
      {reason ? (
        <Tooltip title={reason}>
          <span>{button}</span>
        </Tooltip>
      ) : (
        button
      )}
      {error && (
        <Box mt={1}>
          <WarningPanel
            severity="warning"
            title="Could not load the WorkflowTemplates"
            message={describeBackendError(error, 'Argo Workflows')}
          />
        </Box>
      )}
      {value && value.missingTemplates.length > 0 && (
        <Box mt={1}>
          <WarningPanel
            severity="warning"
            title={`WorkflowTemplate${
              value.missingTemplates.length > 1 ? 's' : ''
            } not found: ${value.missingTemplates.join(', ')}`}
            message={
              <>
                The entity's <code>{ARGO_WORKFLOW_TEMPLATE_ANNOTATION}</code>{' '}
                annotation names templates that namespace{' '}
                <code>{value.namespace}</code> on cluster{' '}
                <code>{value.cluster}</code> does not have.
              </>
            }
          />
        </Box>
      )}
      {open && (
        <SubmitWorkflowDialog
          entityRef={entityRef}
          templates={templates}
          open={open}
          onClose={() => setOpen(false)}
          onSubmitted={run => {
            setOpen(false);
            onSubmitted(run);
          }}
        />
      )}
    </>
  );
}

/**
 * The Pipelines entity tab: the entity's Argo workflow runs, one run in
 * detail (`?workflow=`), and a form to submit a new run.
 */
export function PipelinesContent() {
  const { entity } = useEntity();
  const entityRef = useEntityRef();
  const [searchParams, setSearchParams] = useSearchParams();
  const workflow = searchParams.get(WORKFLOW_QUERY_PARAM);

  const openWorkflow = useCallback(
    (name: string) => setSearchParams({ [WORKFLOW_QUERY_PARAM]: name }),
    [setSearchParams],
  );
  const onSubmitted = useCallback(
    (run: ArgoWorkflowSummary) => openWorkflow(run.name),
    [openWorkflow],
  );

  if (!getKubernetesNamespace(entity)) {
    return (
      <MissingAnnotationEmptyState
        annotation={KUBERNETES_NAMESPACE_ANNOTATION}
      />
    );
  }

  // The table stays mounted under a run, so it keeps its page and size.
  return (
    <>
      {workflow && (
        <WorkflowDetail
          key={workflow}
          entityRef={entityRef}
          workflow={workflow}
          onBack={() => setSearchParams({})}
          onOpenWorkflow={openWorkflow}
        />
      )}
      <Box hidden={!!workflow}>
        <Box mb={2}>
          <SubmitRun onSubmitted={onSubmitted} />
        </Box>
        <WorkflowsTable entityRef={entityRef} hidden={!!workflow} />
      </Box>
    </>
  );
}
