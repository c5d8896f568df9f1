import Button from '@material-ui/core/Button';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogContentText from '@material-ui/core/DialogContentText';
import DialogTitle from '@material-ui/core/DialogTitle';
import Alert from '@material-ui/lab/Alert';
import type { ReactNode } from 'react';
import { describeBackendError } from '../BackendErrorPanel';

export interface ConfirmActionDialogProps {
  /** The action's name, on the confirm button and in the error (e.g. "Promote"). */
  label?: string;
  title: ReactNode;
  /** What will happen, in the user's words. */
  text: ReactNode;
  color?: 'primary' | 'secondary';
  busy: boolean;
  error?: Error;
  /** The upstream the error came through, for its message (e.g. "KServe"). */
  subject: string;
  titleId: string;
  onCancel(): void;
  onConfirm(): void;
}

/**
 * The confirmation of an action on a run or a service: what will happen, Cancel and the
 * action; its failure (403, 409, …) is shown in place and the dialog stays open. Open while
 * `label` is set.
 */
export function ConfirmActionDialog(props: ConfirmActionDialogProps) {
  const { label, title, text, color, busy, error, subject, titleId } = props;
  return (
    <Dialog open={!!label} onClose={props.onCancel} aria-labelledby={titleId}>
      {label && (
        <>
          <DialogTitle id={titleId}>{title}</DialogTitle>
          <DialogContent>
            <DialogContentText>{text}</DialogContentText>
            {error && (
              <Alert severity="error" role="alert">
                {label} failed: {describeBackendError(error, subject)}
              </Alert>
            )}
          </DialogContent>
          <DialogActions>
            <Button onClick={props.onCancel} disabled={busy}>
              Cancel
            </Button>
            <Button
              onClick={props.onConfirm}
              color={color ?? 'primary'}
              variant="contained"
              disabled={busy}
            >
              {busy ? `${label}…` : label}
            </Button>
          </DialogActions>
        </>
      )}
    </Dialog>
  );
}
