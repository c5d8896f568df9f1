import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import MenuItem from '@material-ui/core/MenuItem';
import TextField from '@material-ui/core/TextField';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  ArgoWorkflowSummary,
  ArgoWorkflowTemplateSummary,
} from '@mlstack/plugin-mlops-common';
import { type FormEvent, useState } from 'react';
import { type MlopsEntityRef, mlopsApiRef } from '../../../api';
import { entityRefKey } from '../../../hooks/entityRefKey';
import { describeBackendError } from '../../common/BackendErrorPanel';

export interface SubmitWorkflowDialogProps {
  entityRef: MlopsEntityRef;
  /** The entity's submittable templates; the first is preselected. */
  templates: ArgoWorkflowTemplateSummary[];
  open: boolean;
  onClose(): void;
  onSubmitted(run: ArgoWorkflowSummary): void;
}

/** Whether a value matches a parameter's pattern as the backend checks it (the whole value). */
function matches(pattern: string, value: string): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`, 'u').test(value);
  } catch {
    return true; // the backend names a bad pattern
  }
}

function defaults(template?: ArgoWorkflowTemplateSummary) {
  return Object.fromEntries(
    (template?.parameters ?? []).map(p => [p.name, p.defaultValue ?? '']),
  );
}

/**
 * A form to submit a run from one of the entity's WorkflowTemplates: its
 * parameters prefilled with their defaults, enums as selects, required ones
 * marked and checked.
 */
export function SubmitWorkflowDialog(props: SubmitWorkflowDialogProps) {
  const { entityRef, templates, open, onClose, onSubmitted } = props;
  const api = useApi(mlopsApiRef);
  const [templateName, setTemplateName] = useState(templates[0]?.name ?? '');
  const template = templates.find(t => t.name === templateName);
  const [values, setValues] = useState<Record<string, string>>(() =>
    defaults(templates[0]),
  );
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();

  const missing = (template?.parameters ?? []).filter(
    p => p.required && !values[p.name]?.trim(),
  );
  const mismatched = (template?.parameters ?? []).filter(
    p =>
      p.submittable &&
      p.pattern !== undefined &&
      !!values[p.name] &&
      !matches(p.pattern, values[p.name]),
  );

  const chooseTemplate = (name: string) => {
    setTemplateName(name);
    setValues(defaults(templates.find(t => t.name === name)));
    setError(undefined);
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!template || missing.length > 0 || mismatched.length > 0) {
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const parameters = Object.fromEntries(
        template.parameters
          .filter(
            p =>
              p.submittable &&
              values[p.name] !== undefined &&
              values[p.name] !== '' &&
              values[p.name] !== p.defaultValue,
          )
          .map(p => [p.name, values[p.name]]),
      );
      const run = await api.submitArgoWorkflow(
        entityRefKey(entityRef),
        template.name,
        { parameters },
      );
      onSubmitted(run);
    } catch (err) {
      setError(err as Error);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      aria-labelledby="submit-workflow-title"
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id="submit-workflow-title">Submit a run</DialogTitle>
        <DialogContent>
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            <TextField
              select
              label="Workflow template"
              value={templateName}
              onChange={e => chooseTemplate(e.target.value)}
              helperText={template?.description ?? template?.title}
              disabled={templates.length < 2}
            >
              {templates.map(t => (
                <MenuItem key={t.name} value={t.name}>
                  {t.title ? `${t.title} (${t.name})` : t.name}
                </MenuItem>
              ))}
            </TextField>
            {template && template.parameters.length === 0 && (
              <Typography variant="body2" color="textSecondary">
                This template takes no parameters.
              </Typography>
            )}
            {template?.parameters.map(p => {
              const value = values[p.name] ?? '';
              const empty = p.required && !value.trim();
              const badValue = mismatched.includes(p);
              const helper = [
                p.description,
                p.defaultValue !== undefined
                  ? `Default: ${p.defaultValue}`
                  : undefined,
                p.submittable
                  ? p.pattern && `Must match ${p.pattern}`
                  : 'Set by the template; not changeable from the portal',
              ]
                .filter(Boolean)
                .join(' · ');
              return (
                <TextField
                  key={p.name}
                  id={`param-${p.name}`}
                  label={p.name}
                  required={p.required && p.submittable}
                  select={!!p.enum}
                  disabled={!p.submittable}
                  value={value}
                  error={(empty && !!error) || badValue}
                  helperText={helper || undefined}
                  onChange={e =>
                    setValues(v => ({ ...v, [p.name]: e.target.value }))
                  }
                >
                  {p.enum?.map(option => (
                    <MenuItem key={option} value={option}>
                      {option}
                    </MenuItem>
                  ))}
                </TextField>
              );
            })}
            {missing.length > 0 && (
              <Typography variant="caption" color="textSecondary">
                Required: {missing.map(p => p.name).join(', ')}
              </Typography>
            )}
            {error && (
              <Alert severity="error" role="alert">
                Submit failed: {describeBackendError(error, 'Argo Workflows')}
              </Alert>
            )}
          </Box>
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button
            type="submit"
            color="primary"
            variant="contained"
            disabled={
              busy || !template || missing.length > 0 || mismatched.length > 0
            }
          >
            {busy ? 'Submitting…' : 'Submit'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
