import { Progress, Table, TableColumn } from '@backstage/core-components';
import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import type { InferenceServiceEvent } from '@mlstack/plugin-mlops-common';
import type { MlopsEntityRef } from '../../../api';
import { useInferenceServiceEvents } from '../../../hooks';
import { formatTime } from '../../../utils/format';
import { BackendErrorPanel } from '../../common/BackendErrorPanel';

export interface ServiceEventsDialogProps {
  entityRef: MlopsEntityRef;
  service: string;
  open: boolean;
  onClose(): void;
}

const columns: TableColumn<InferenceServiceEvent>[] = [
  {
    title: 'Last seen',
    field: 'lastSeen',
    render: event => (event.lastSeen ? formatTime(event.lastSeen) : '—'),
  },
  { title: 'Type', field: 'type' },
  { title: 'Reason', field: 'reason' },
  { title: 'Object', field: 'object' },
  { title: 'Message', field: 'message' },
  { title: 'Count', field: 'count', type: 'numeric' },
];

/**
 * The Kubernetes events of a service and of what KServe made for it (predictor pods,
 * Deployments, canaries): why a rollout is not Ready.
 */
export function ServiceEventsDialog(props: ServiceEventsDialogProps) {
  const { entityRef, service, open, onClose } = props;
  const { value, loading, error, retry } = useInferenceServiceEvents(
    entityRef,
    service,
    open,
  );
  let body;
  if (loading && !value) {
    body = <Progress />;
  } else if (error) {
    body = (
      <BackendErrorPanel
        error={error}
        subject="KServe"
        title="Could not load the events"
      />
    );
  } else if (value && value.events.length === 0) {
    body = (
      <Typography>
        No events about {service} or its predictor: Kubernetes keeps events for
        about an hour, and a service nothing is happening to has none.
      </Typography>
    );
  } else if (value) {
    body = (
      <Table
        options={{ paging: false, search: false, toolbar: false }}
        columns={columns}
        data={value.events}
      />
    );
  }
  return (
    <Dialog
      open={open}
      onClose={onClose}
      fullWidth
      maxWidth="lg"
      aria-labelledby="service-events-title"
    >
      <DialogTitle id="service-events-title">Events of {service}</DialogTitle>
      <DialogContent>{body}</DialogContent>
      <DialogActions>
        <Button onClick={retry}>Reload</Button>
        <Button onClick={onClose}>Close</Button>
      </DialogActions>
    </Dialog>
  );
}
