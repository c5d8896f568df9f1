import { EmptyState, WarningPanel } from '@backstage/core-components';
import Typography from '@material-ui/core/Typography';

export interface MissingMlflowItemsProps {
  /** The annotation that names the items, e.g. `mlflow.org/experiment-name`. */
  annotation: string;
  /** The names MLflow does not know. */
  names: string[];
  /** What the names are, singular: `experiment`, `registered model`. */
  itemKind: string;
  /** `empty` when nothing at all was found, `warning` when only some are missing. */
  variant?: 'empty' | 'warning';
}

function Explanation(props: MissingMlflowItemsProps) {
  const { annotation, names, itemKind } = props;
  return (
    <Typography variant="body2" component="span">
      The entity's <code>{annotation}</code> annotation names{' '}
      {names.map((name, i) => (
        <span key={name}>
          {i > 0 && ', '}
          <code>{name}</code>
        </span>
      ))}
      , but MLflow has no {itemKind} by{' '}
      {names.length > 1 ? 'these names' : 'that name'}. Check the spelling in
      the annotation, or that the {itemKind} exists in the MLflow instance the
      entity uses.
    </Typography>
  );
}

/** Names from an MLflow annotation that MLflow does not know. */
export function MissingMlflowItems(props: MissingMlflowItemsProps) {
  const { names, itemKind, variant = 'warning' } = props;
  if (names.length === 0) {
    return null;
  }
  const title = `MLflow ${itemKind}${
    names.length > 1 ? 's' : ''
  } not found: ${names.join(', ')}`;
  if (variant === 'empty') {
    return (
      <EmptyState
        missing="data"
        title={title}
        description={<Explanation {...props} />}
      />
    );
  }
  return (
    <WarningPanel
      severity="warning"
      title={title}
      message={<Explanation {...props} />}
    />
  );
}
