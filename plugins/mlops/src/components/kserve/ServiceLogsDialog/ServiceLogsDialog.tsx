import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import type { InferenceServiceLogs } from '@mlstack/plugin-mlops-common';
import type { MlopsEntityRef } from '../../../api';
import { useInferenceServiceLogs } from '../../../hooks';
import { LogPanel } from '../../common/LogPanel';

export interface ServiceLogsDialogProps {
  entityRef: MlopsEntityRef;
  service: string;
  component?: InferenceServiceLogs['component'];
  open: boolean;
  onClose(): void;
}

const TITLES: Record<InferenceServiceLogs['component'], string> = {
  predictor: 'Predictor logs',
  transformer: 'Transformer logs',
  explainer: 'Explainer logs',
};

/** The logs of the newest pod of a service component, in a dialog. */
export function ServiceLogsDialog(props: ServiceLogsDialogProps) {
  const { entityRef, service, component = 'predictor', open, onClose } = props;
  const { value, loading, error, retry } = useInferenceServiceLogs(
    entityRef,
    service,
    component,
    open,
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby="service-logs-title"
    >
      <DialogTitle id="service-logs-title">
        {TITLES[component]} of {service}
      </DialogTitle>
      <DialogContent>
        <LogPanel
          logs={value}
          loading={loading}
          error={error}
          subject="KServe"
          onReload={retry}
          height={480}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
