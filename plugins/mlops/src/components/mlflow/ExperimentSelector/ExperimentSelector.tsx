import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import type { MlflowExperiment } from '@mlstack/plugin-mlops-common';
import { useId } from 'react';

const ALL = '__all__';

export interface ExperimentSelectorProps {
  experiments: MlflowExperiment[];
  /** The selected experiment id; undefined for all of them. */
  value: string | undefined;
  onChange(experimentId: string | undefined): void;
}

/** Picks one of the entity's experiments, or all of them. */
export function ExperimentSelector(props: ExperimentSelectorProps) {
  const { experiments, value, onChange } = props;
  const id = useId();
  return (
    <TextField
      id={id}
      select
      size="small"
      variant="outlined"
      label="Experiment"
      value={value ?? ALL}
      onChange={e =>
        onChange(e.target.value === ALL ? undefined : e.target.value)
      }
      style={{ minWidth: 200 }}
    >
      <MenuItem value={ALL}>All experiments ({experiments.length})</MenuItem>
      {experiments.map(experiment => (
        <MenuItem key={experiment.experimentId} value={experiment.experimentId}>
          {experiment.name}
        </MenuItem>
      ))}
    </TextField>
  );
}
