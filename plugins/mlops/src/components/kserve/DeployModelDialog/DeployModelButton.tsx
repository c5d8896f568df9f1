import Button from '@material-ui/core/Button';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import type { DeploySource } from '@mlstack/plugin-mlops-common';
import { type ReactElement, useState } from 'react';
import type { MlopsEntityRef } from '../../../api';
import { useCanDeploy } from '../../../hooks';
import { DeployModelDialog } from './DeployModelDialog';
import { describeSource } from './deployForm';

interface DeployOpenerProps {
  entityRef: MlopsEntityRef;
  source: DeploySource;
  defaultServiceName: string;
  /** Why this model cannot be deployed (e.g. its registration failed). */
  notDeployable?: string;
}

/** The deploy permission and dialog state shared by the button and the chip. */
function useDeployOpener(props: DeployOpenerProps) {
  const { allowed, loading } = useCanDeploy();
  const [open, setOpen] = useState(false);
  let reason = props.notDeployable;
  if (!reason && !loading && !allowed) {
    reason = 'You are not allowed to deploy models of this entity';
  }
  const dialog = open ? (
    <DeployModelDialog
      entityRef={props.entityRef}
      source={props.source}
      defaultServiceName={props.defaultServiceName}
      open
      onClose={() => setOpen(false)}
    />
  ) : null;
  return {
    disabled: loading || !!reason,
    reason,
    open: () => setOpen(true),
    dialog,
  };
}

function withReason(element: ReactElement, reason: string | undefined) {
  return reason ? (
    <Tooltip title={reason}>
      <span>{element}</span>
    </Tooltip>
  ) : (
    element
  );
}

/** "Deploy…": opens the deploy dialog for a model version or a logged model. */
export function DeployModelButton(props: DeployOpenerProps) {
  const { disabled, reason, open, dialog } = useDeployOpener(props);
  return (
    <>
      {withReason(
        <Button
          size="small"
          color="primary"
          disabled={disabled}
          onClick={open}
          aria-label={`Deploy ${describeSource(props.source)}…`}
        >
          Deploy…
        </Button>,
        reason,
      )}
      {dialog}
    </>
  );
}

/** An alias chip that opens the deploy dialog for the alias (when deploys are allowed). */
export function DeployAliasChip(
  props: Omit<DeployOpenerProps, 'source'> & {
    modelName: string;
    alias: string;
    color?: 'primary' | 'default';
  },
) {
  const { modelName, alias, color } = props;
  const source: DeploySource = { type: 'modelAlias', modelName, alias };
  const { disabled, open, dialog } = useDeployOpener({ ...props, source });
  if (disabled) {
    return <Chip size="small" label={alias} color={color} />;
  }
  return (
    <>
      <Tooltip title={`Deploy ${modelName}@${alias}…`}>
        <Chip
          size="small"
          label={alias}
          color={color}
          clickable
          onClick={open}
          aria-label={`Deploy ${modelName}@${alias}…`}
        />
      </Tooltip>
      {dialog}
    </>
  );
}
