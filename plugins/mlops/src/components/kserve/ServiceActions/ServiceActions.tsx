import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Tooltip from '@material-ui/core/Tooltip';
import {
  type InferenceServiceView,
  kserveServiceDeletePermission,
  kserveServicePromotePermission,
  kserveServiceRollbackPermission,
  kserveServiceStopPermission,
  type RolloutResult,
} from '@mlstack/plugin-mlops-common';
import { useState } from 'react';
import {
  type InferenceServiceAction,
  type MlopsApi,
  type MlopsEntityRef,
  mlopsApiRef,
} from '../../../api';
import { entityRefKey } from '../../../hooks/entityRefKey';
import { hasCanary, modelShares } from '../ServedModels';
import { ConfirmActionDialog } from '../../common/ConfirmActionDialog';

interface ActionSpec {
  id: InferenceServiceAction;
  label: string;
  permission: typeof kserveServiceStopPermission;
  /** Whether the action applies to the service at all (the button is shown). */
  applies(service: InferenceServiceView): boolean;
  /** What will happen, naming the service. */
  confirm(service: InferenceServiceView): string;
  call(
    api: MlopsApi,
  ): (
    ref: string,
    service: string,
    request: { resourceVersion?: string },
  ) => Promise<RolloutResult>;
  color?: 'primary' | 'secondary';
}

function stableModel(service: InferenceServiceView): string {
  return modelShares(service).find(s => s.role === 'stable')?.model ?? '';
}

function canaryModels(service: InferenceServiceView): string {
  return modelShares(service)
    .filter(s => s.role === 'canary')
    .map(s => s.model)
    .join(', ');
}

const ACTIONS: ActionSpec[] = [
  {
    id: 'promote',
    label: 'Promote',
    permission: kserveServicePromotePermission,
    applies: hasCanary,
    confirm: s =>
      `Promote the canary of ${s.name}: ${canaryModels(
        s,
      )} gets all the traffic and replaces ${stableModel(s)}.`,
    call: api => api.promoteInferenceService.bind(api),
  },
  {
    id: 'rollback',
    label: 'Roll back',
    permission: kserveServiceRollbackPermission,
    applies: hasCanary,
    confirm: s =>
      `Roll back the canary of ${s.name}: ${canaryModels(
        s,
      )} is removed and ${stableModel(s)} gets all the traffic again.`,
    call: api => api.rollbackInferenceService.bind(api),
    color: 'secondary',
  },
  {
    id: 'stop',
    label: 'Stop',
    permission: kserveServiceStopPermission,
    applies: s => !s.stopped,
    confirm: s =>
      `Stop ${s.name} in namespace ${s.namespace}: KServe scales its pods away and it answers no requests until it is started again. The InferenceService and its model stay.`,
    call: api => api.stopInferenceService.bind(api),
    color: 'secondary',
  },
  {
    id: 'start',
    label: 'Start',
    permission: kserveServiceStopPermission,
    applies: s => s.stopped,
    confirm: s =>
      `Start ${s.name} in namespace ${
        s.namespace
      } again: KServe brings its pods back, serving ${stableModel(s)}.`,
    call: api => api.startInferenceService.bind(api),
  },
  {
    id: 'delete',
    label: 'Delete',
    permission: kserveServiceDeletePermission,
    applies: () => true,
    confirm: s =>
      `Delete InferenceService ${s.name} in namespace ${
        s.namespace
      }: its pods, routes and URL are removed and it stops serving ${stableModel(
        s,
      )}. This cannot be undone; deploy again to bring it back.`,
    call: api => api.deleteInferenceService.bind(api),
    color: 'secondary',
  },
];

function ActionButton(props: {
  spec: ActionSpec;
  resourceRef: string;
  onClick(): void;
}) {
  const { spec, resourceRef, onClick } = props;
  const { allowed, loading } = usePermission({
    permission: spec.permission,
    resourceRef,
  });
  const reason =
    !loading && !allowed
      ? `You are not allowed to ${spec.label.toLowerCase()} services of this entity`
      : undefined;
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

export interface ServiceActionsProps {
  entityRef: MlopsEntityRef;
  service: InferenceServiceView;
  /** Called after a successful action, to reload the services. */
  onChanged(result: RolloutResult): void;
}

/**
 * Promote and Roll back (while a canary runs), Stop or Start, and Delete: each checked
 * against its permission on the entity, confirmed in a dialog that says what will happen,
 * and sent with the resourceVersion the user saw (a 409 says the service moved).
 */
export function ServiceActions(props: ServiceActionsProps) {
  const { entityRef, service, onChanged } = props;
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
    setBusy(true);
    setError(undefined);
    try {
      const result = await pending.call(api)(
        entityRefKey(entityRef),
        service.name,
        { resourceVersion: service.resourceVersion },
      );
      setPending(undefined);
      onChanged(result);
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const titleId = `service-action-title-${service.name}`;
  return (
    <Box display="flex" flexWrap="wrap" style={{ gap: 8 }}>
      {ACTIONS.filter(spec => spec.applies(service)).map(spec => (
        <ActionButton
          key={spec.id}
          spec={spec}
          resourceRef={resourceRef}
          onClick={() => setPending(spec)}
        />
      ))}
      <ConfirmActionDialog
        label={pending?.label}
        title={pending ? `${pending.label} ${service.name}` : ''}
        text={pending?.confirm(service)}
        color={pending?.color}
        busy={busy}
        error={error}
        subject="KServe"
        titleId={titleId}
        onCancel={close}
        onConfirm={confirm}
      />
    </Box>
  );
}
