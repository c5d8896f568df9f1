import { WarningPanel } from '@backstage/core-components';
import Chip from '@material-ui/core/Chip';
import Tooltip from '@material-ui/core/Tooltip';
import Typography from '@material-ui/core/Typography';
import {
  MlflowRefusedObject,
  OWNER_KEY,
  OwnershipClaim,
} from '@mlstack/plugin-mlops-common';

/**
 * A marker on an MLflow object that carries no `mlstack.io/owner` tag: any entity that names
 * it may read it. Nothing is shown for an owned object.
 */
export function UnclaimedChip(props: { claim: OwnershipClaim | undefined }) {
  if (props.claim !== 'unclaimed') {
    return null;
  }
  return (
    <Tooltip
      title={`No ${OWNER_KEY} tag in MLflow: any catalog entity that names it can read it. Tag it with this entity's owner to claim it.`}
    >
      <Chip size="small" variant="outlined" label="unclaimed" />
    </Tooltip>
  );
}

/** Names from an MLflow annotation whose objects belong to another owner, with the reason. */
export function RefusedMlflowItems(props: {
  items: MlflowRefusedObject[];
  /** What the names are, singular: `experiment`, `registered model`. */
  itemKind: string;
}) {
  const { items, itemKind } = props;
  if (items.length === 0) {
    return null;
  }
  return (
    <WarningPanel
      severity="error"
      title={`Not shown: ${items.length} ${itemKind}${
        items.length > 1 ? 's' : ''
      } of another owner (${items.map(i => i.name).join(', ')})`}
      message={
        <>
          {items.map(item => (
            <Typography key={item.name} variant="body2" paragraph>
              {item.reason}
            </Typography>
          ))}
        </>
      }
    />
  );
}
