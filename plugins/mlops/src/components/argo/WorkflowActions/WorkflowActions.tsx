import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import {
  argoWorkflowResubmitPermission,
  argoWorkflowRetryPermission,
  argoWorkflowStopPermission,
  argoWorkflowTerminatePermission,
  type ArgoWorkflowSummary,
} from '@mlstack/plugin-mlops-common';
import { useState } from 'react';
import { type MlopsEntityRef, mlopsApiRef } from '../../../api';
import { entityRefKey } from '../../../hooks/entityRefKey';
import { isFailedPhase, isLiveRun } from '../ArgoPhase';
import { ConfirmActionDialog } from '../../common/ConfirmActionDialog';

type ActionId = 'resubmit' | 'retry' | 'stop' | 'terminate';

interface ActionSpec {
  id: ActionId;
  label: string;
  permission: typeof argoWorkflowRetryPermission;
  /** Why the action does not apply to the run, or undefined when it does. */
  notApplicable(run: ArgoWorkflowSummary): string | undefined;
  confirm(run: ArgoWorkflowSummary): string;
  color?: 'primary' | 'secondary';
}

const ACTIONS: ActionSpec[] = [
  {
    id: 'resubmit',
    label: 'Resubmit',
    permission: argoWorkflowResubmitPermission,
    notApplicable: () => undefined,
    confirm: run =>
      `Start a new run with the same spec and parameters as ${run.name}?`,
  },
  {
    id: 'retry',
    label: 'Retry',
    permission: argoWorkflowRetryPermission,
    notApplicable: run =>
      isFailedPhase(run.phase)
        ? undefined
        : 'Only a failed or errored run can be retried',
    confirm: run =>
      `Run the failed steps of ${run.name} again (succeeded steps are kept)?`,
  },
  {
    id: 'stop',
    label: 'Stop',
    permission: argoWorkflowStopPermission,
    notApplicable: run =>
      isLiveRun(run) && !run.shutdown
        ? undefined
        : 'Only a pending or running run can be stopped',
    confirm: run =>
      `Stop ${run.name}? Running steps are stopped; exit handlers still run.`,
    color: 'secondary',
  },
  {
    id: 'terminate',
    label: 'Terminate',
    permission: argoWorkflowTerminatePermission,
    notApplicable: run =>
      isLiveRun(run) && run.shutdown !== 'Terminate'
        ? undefined
        : 'Only a pending or running run can be terminated',
    confirm: run =>
      `Terminate ${run.name}? Running steps are killed and exit handlers do not run.`,
    color: 'secondary',
  },
];

function ActionButton(props: {
  spec: ActionSpec;
  run: ArgoWorkflowSummary;
  resourceRef: string;
  onClick(): void;
}) {
  const { spec, run, resourceRef, onClick } = props;
  const { allowed, loading } = usePermission({
    permission: spec.permission,
    resourceRef,
  });
  const notApplicable = spec.notApplicable(run);
  let reason: string | undefined = notApplicable;
  if (!reason && !loading && !allowed) {
    reason = `You are not allowed to ${spec.label.toLowerCase()} runs of this entity`;
  }
  const button = (
    <Button
      variant="outlined"
      color={spec.color ?? 'primary'}
      disabled={loading || !!reason}
      onClick={onClick}
    >
      {spec.label}
    </Button>
  );
  return reason ? (
    <Tooltip title={reason}>
      <span>{button}</span>
    </Tooltip>
  ) : (
    button
  );
}

export interface WorkflowActionsProps {
  entityRef: MlopsEntityRef;
  run: ArgoWorkflowSummary;
  /** Called with the new run after a resubmit. */
  onResubmitted(run: ArgoWorkflowSummary): void;
  /** Called after a retry, stop or terminate, to reload the run. */
  onChanged(): void;
}

/**
 * Resubmit, Retry (failed runs), Stop and Terminate (running runs), each
 * checked against its permission on the entity and confirmed in a dialog.
 */
export function WorkflowActions(props: WorkflowActionsProps) {
  const { entityRef, run, onResubmitted, onChanged } = props;
  const api = useApi(mlopsApiRef);
  const { entity } = useEntity();
  const resourceRef = stringifyEntityRef(entity);
  const [pending, setPending] = useState<ActionSpec | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();

  const close = () => {
    if (!busy) {
      setPending(undefined);
      setError(undefined);
    }
  };

  const confirm = async () => {
    if (!pending) {
      return;
    }
    const key = entityRefKey(entityRef);
    setBusy(true);
    setError(undefined);
    try {
      switch (pending.id) {
        case 'resubmit': {
          const created = await api.resubmitArgoWorkflow(key, run.name);
          setPending(undefined);
          onResubmitted(created);
          break;
        }
        case 'retry':
          await api.retryArgoWorkflow(key, run.name);
          setPending(undefined);
          onChanged();
          break;
        case 'stop':
          await api.stopArgoWorkflow(key, run.name);
          setPending(undefined);
          onChanged();
          break;
        case 'terminate':
        default:
          await api.terminateArgoWorkflow(key, run.name);
          setPending(undefined);
          onChanged();
          break;
      }
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {ACTIONS.map(spec => (
        <ActionButton
          key={spec.id}
          spec={spec}
          run={run}
          resourceRef={resourceRef}
          onClick={() => setPending(spec)}
        />
      ))}
      <ConfirmActionDialog
        label={pending?.label}
        title={pending ? `${pending.label} run ${run.name}` : ''}
        text={pending?.confirm(run)}
        color={pending?.color}
        busy={busy}
        error={error}
        subject="Argo Workflows"
        titleId="workflow-action-title"
        onCancel={close}
        onConfirm={confirm}
      />
    </Box>
  );
}
