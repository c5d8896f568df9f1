import { Progress } from '@backstage/core-components';
import { useApi } from '@backstage/core-plugin-api';
import Box from '@material-ui/core/Box';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import Alert from '@material-ui/lab/Alert';
import type {
  DeployPreview,
  DeployRequest,
  DeploySource,
  RolloutResult,
} from '@mlstack/plugin-mlops-common';
import { type FormEvent, useEffect, useState } from 'react';
import { type MlopsEntityRef, mlopsApiRef } from '../../../api';
import { useDeployTargets } from '../../../hooks';
import { entityRefKey } from '../../../hooks/entityRefKey';
import { describeBackendError } from '../../common/BackendErrorPanel';
import { DeployForm } from './DeployForm';
import {
  type DeployFormValues,
  describeSource,
  formProblems,
  initialValues,
  toDeployRequest,
} from './deployForm';
import { DeployPreviewPanel } from './DeployPreviewPanel';
import { DeployResultPanel } from './DeployResultPanel';

export interface DeployModelDialogProps {
  entityRef: MlopsEntityRef;
  source: DeploySource;
  /** The service name to start from (a DNS-1035 label made from the model's name). */
  defaultServiceName: string;
  open: boolean;
  onClose(): void;
  /** Called after a successful deploy (the dialog stays open on the result). */
  onDeployed?(result: RolloutResult): void;
}

type Step =
  | { step: 'form' }
  | { step: 'preview'; request: DeployRequest; preview: DeployPreview }
  | { step: 'result'; result: RolloutResult };

/**
 * Deploys a registered model version, an alias or a logged model to KServe: a form
 * (target, name, mode, runtime, canary share, resources), a preview of what the backend
 * would apply (checked by a dry run), then the deploy and its result. Errors stay in the
 * dialog with the backend's message.
 */
export function DeployModelDialog(props: DeployModelDialogProps) {
  const { entityRef, source, defaultServiceName, open, onClose, onDeployed } =
    props;
  const api = useApi(mlopsApiRef);
  const targets = useDeployTargets(entityRef);
  const [values, setValues] = useState<DeployFormValues>(() =>
    initialValues(defaultServiceName),
  );
  const [state, setState] = useState<Step>({ step: 'form' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | undefined>();

  // Choose the first allowed target (and its default mode) once they are known.
  const loadedTargets = targets.value;
  useEffect(() => {
    if (loadedTargets) {
      setValues(v => {
        if (v.target) {
          return v;
        }
        const first = initialValues(v.serviceName, loadedTargets.targets);
        return { ...v, target: first.target, mode: first.mode };
      });
    }
  }, [loadedTargets]);

  const problems = loadedTargets
    ? formProblems(values, loadedTargets.targets)
    : {};
  const valid = !!loadedTargets && Object.keys(problems).length === 0;

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(undefined);
    try {
      await action();
    } catch (e) {
      setError(e as Error);
    } finally {
      setBusy(false);
    }
  };

  const preview = (e: FormEvent) => {
    e.preventDefault();
    if (!valid || !loadedTargets || state.step !== 'form') {
      return;
    }
    const request = toDeployRequest(source, values, loadedTargets.targets);
    run(async () => {
      const answer = await api.previewDeploy(entityRefKey(entityRef), request);
      setState({ step: 'preview', request, preview: answer });
    });
  };

  const deploy = () => {
    if (state.step !== 'preview') {
      return;
    }
    run(async () => {
      // The deploy applies only to the state the preview was computed from (409 otherwise),
      // and deploys the version the preview resolved: an alias moved meanwhile does not change
      // what the user confirmed.
      const { model } = state.preview;
      const result = await api.deployModel(entityRefKey(entityRef), {
        ...state.request,
        ...(model.modelName && model.version
          ? {
              source: {
                type: 'modelVersion' as const,
                modelName: model.modelName,
                version: model.version,
              },
            }
          : {}),
        expectedResourceVersion: state.preview.resourceVersion ?? null,
      });
      setState({ step: 'result', result });
      onDeployed?.(result);
    });
  };

  const back = () => {
    setError(undefined);
    setState({ step: 'form' });
  };

  const actionLabel = (idle: string, working: string) =>
    busy ? working : idle;

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="md"
      aria-labelledby="deploy-model-title"
    >
      <form onSubmit={preview} noValidate>
        <DialogTitle id="deploy-model-title">
          Deploy {describeSource(source)}
        </DialogTitle>
        <DialogContent>
          <Box display="flex" flexDirection="column" style={{ gap: 16 }}>
            {state.step === 'form' && targets.loading && <Progress />}
            {state.step === 'form' && targets.error && (
              <Alert severity="error" role="alert">
                Could not load the deploy targets:{' '}
                {describeBackendError(targets.error, 'KServe')}
              </Alert>
            )}
            {state.step === 'form' &&
              loadedTargets &&
              loadedTargets.targets.length === 0 && (
                <Typography color="textSecondary">
                  No deploy targets are configured for this entity
                  (mlops.deploy.targets).
                </Typography>
              )}
            {state.step === 'form' &&
              loadedTargets &&
              loadedTargets.targets.length > 0 && (
                <DeployForm
                  targets={loadedTargets}
                  values={values}
                  problems={problems}
                  onChange={setValues}
                  disabled={busy}
                />
              )}
            {state.step === 'preview' && (
              <DeployPreviewPanel
                preview={state.preview}
                request={state.request}
              />
            )}
            {state.step === 'result' && (
              <DeployResultPanel result={state.result} />
            )}
            {error && (
              <Alert severity="error" role="alert">
                {state.step === 'form' ? 'Preview failed' : 'Deploy failed'}:{' '}
                {describeBackendError(error, 'KServe')}
              </Alert>
            )}
          </Box>
        </DialogContent>
        <DialogActions>
          {state.step === 'result' ? (
            <Button onClick={onClose} color="primary" variant="contained">
              Close
            </Button>
          ) : (
            <Button onClick={onClose} disabled={busy}>
              Cancel
            </Button>
          )}
          {state.step === 'form' && (
            <Button
              type="submit"
              color="primary"
              variant="contained"
              disabled={busy || !valid}
            >
              {actionLabel('Preview', 'Previewing…')}
            </Button>
          )}
          {state.step === 'preview' && (
            <>
              <Button onClick={back} disabled={busy}>
                Back
              </Button>
              <Button
                onClick={deploy}
                color="primary"
                variant="contained"
                disabled={busy}
              >
                {actionLabel('Deploy', 'Deploying…')}
              </Button>
            </>
          )}
        </DialogActions>
      </form>
    </Dialog>
  );
}
