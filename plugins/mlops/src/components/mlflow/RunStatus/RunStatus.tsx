import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
} from '@backstage/core-components';
import type { MlflowRunStatus } from '@mlstack/plugin-mlops-common';

const indicators: Record<
  MlflowRunStatus,
  { Indicator: typeof StatusOK; label: string }
> = {
  FINISHED: { Indicator: StatusOK, label: 'Finished' },
  FAILED: { Indicator: StatusError, label: 'Failed' },
  RUNNING: { Indicator: StatusRunning, label: 'Running' },
  SCHEDULED: { Indicator: StatusPending, label: 'Scheduled' },
  KILLED: { Indicator: StatusAborted, label: 'Killed' },
};

/** An MLflow run status as a Backstage status indicator with its label. */
export function RunStatus(props: { status: MlflowRunStatus }) {
  const { Indicator, label } = indicators[props.status] ?? {
    Indicator: StatusPending,
    label: props.status,
  };
  return <Indicator>{label}</Indicator>;
}
