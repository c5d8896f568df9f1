import Box from '@material-ui/core/Box';
import Grid from '@material-ui/core/Grid';
import ListItemText from '@material-ui/core/ListItemText';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import {
  type DeployMode,
  type DeployTargetsResponse,
  INFERENCE_SERVICE_NAME_MAX_LENGTH,
} from '@mlstack/plugin-mlops-common';
import {
  type DeployFormProblems,
  type DeployFormValues,
  findTarget,
  targetKey,
} from './deployForm';

export interface DeployFormProps {
  targets: DeployTargetsResponse;
  values: DeployFormValues;
  problems: DeployFormProblems;
  onChange(values: DeployFormValues): void;
  disabled?: boolean;
}

type TextFieldName = Exclude<keyof DeployFormValues, 'target' | 'mode'>;

/**
 * The fields of a deploy: target (refused ones disabled, with the reason), service name,
 * mode, runtime, canary share, resources and replicas.
 */
export function DeployForm(props: DeployFormProps) {
  const { targets, values, problems, onChange, disabled } = props;
  const target = findTarget(targets.targets, values.target);

  const set = (field: TextFieldName, value: string) =>
    onChange({ ...values, [field]: value });
  const chooseTarget = (key: string) => {
    const chosen = findTarget(targets.targets, key);
    onChange({
      ...values,
      target: key,
      mode:
        chosen && values.mode && chosen.modes.includes(values.mode)
          ? values.mode
          : chosen?.modes[0] ?? '',
    });
  };

  const text = (
    field: TextFieldName,
    label: string,
    helper?: string,
    placeholder?: string,
  ) => (
    <TextField
      id={`deploy-${field}`}
      label={label}
      value={values[field]}
      onChange={e => set(field, e.target.value)}
      error={!!problems[field]}
      helperText={problems[field] ?? helper}
      placeholder={placeholder}
      disabled={disabled}
      fullWidth
    />
  );

  return (
    <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
      <TextField
        id="deploy-target"
        select
        label="Target"
        value={values.target}
        onChange={e => chooseTarget(e.target.value)}
        error={!!problems.target}
        helperText={
          problems.target ??
          (target?.serviceAccountName
            ? `The predictor runs as service account ${target.serviceAccountName}`
            : undefined)
        }
        disabled={disabled}
        required
      >
        {targets.targets.map(t => (
          <MenuItem
            key={targetKey(t)}
            value={targetKey(t)}
            disabled={!!t.refusedReason}
          >
            <ListItemText
              primary={`Namespace ${t.namespace} on cluster ${t.cluster}`}
              secondary={t.refusedReason}
            />
          </MenuItem>
        ))}
      </TextField>
      <TextField
        id="deploy-serviceName"
        label="Service name"
        value={values.serviceName}
        onChange={e => set('serviceName', e.target.value)}
        error={!!problems.serviceName}
        helperText={
          problems.serviceName ??
          `The InferenceService's name: lowercase letters, digits and '-', at most ${INFERENCE_SERVICE_NAME_MAX_LENGTH} characters. An existing service of that name gets the model (full rollout or canary).`
        }
        disabled={disabled}
        required
      />
      <Grid container spacing={2}>
        <Grid item xs={12} sm={6}>
          <TextField
            id="deploy-mode"
            select
            label="Deployment mode"
            value={values.mode}
            onChange={e =>
              onChange({ ...values, mode: e.target.value as DeployMode })
            }
            error={!!problems.mode}
            helperText={problems.mode}
            disabled={disabled || !target}
            fullWidth
          >
            {(target?.modes ?? []).map(mode => (
              <MenuItem key={mode} value={mode}>
                {mode}
              </MenuItem>
            ))}
          </TextField>
        </Grid>
        <Grid item xs={12} sm={6}>
          <TextField
            id="deploy-runtime"
            select
            label="Runtime"
            value={values.runtime}
            onChange={e => set('runtime', e.target.value)}
            SelectProps={{ displayEmpty: true }}
            InputLabelProps={{ shrink: true }}
            disabled={disabled}
            fullWidth
          >
            <MenuItem value="">By model flavor</MenuItem>
            {targets.runtimes.map(r => (
              <MenuItem key={r.name} value={r.name}>
                <ListItemText
                  primary={r.name}
                  secondary={`${r.modelFormat}, protocol ${
                    r.protocolVersion
                  }; flavors ${r.flavors.join(', ')}`}
                />
              </MenuItem>
            ))}
          </TextField>
        </Grid>
      </Grid>
      {text(
        'canaryTrafficPercent',
        'Canary traffic %',
        '0 replaces the served model (full rollout); 1–99 starts a canary taking that share. A new service takes all traffic.',
      )}
      <Typography variant="subtitle2">Resources (optional)</Typography>
      <Grid container spacing={2}>
        <Grid item xs={6} sm={3}>
          {text('cpuRequest', 'CPU request', undefined, '500m')}
        </Grid>
        <Grid item xs={6} sm={3}>
          {text('cpuLimit', 'CPU limit', undefined, '1')}
        </Grid>
        <Grid item xs={6} sm={3}>
          {text('memoryRequest', 'Memory request', undefined, '512Mi')}
        </Grid>
        <Grid item xs={6} sm={3}>
          {text('memoryLimit', 'Memory limit', undefined, '2Gi')}
        </Grid>
        <Grid item xs={6}>
          {text('minReplicas', 'Min replicas')}
        </Grid>
        <Grid item xs={6}>
          {text('maxReplicas', 'Max replicas')}
        </Grid>
      </Grid>
    </Box>
  );
}
