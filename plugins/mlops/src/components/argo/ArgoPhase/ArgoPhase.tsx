import {
  StatusAborted,
  StatusError,
  StatusOK,
  StatusPending,
  StatusRunning,
  StatusWarning,
} from '@backstage/core-components';
import type {
  ArgoNodePhase,
  ArgoWorkflowPhase,
} from '@mlstack/plugin-mlops-common';

type Phase = ArgoWorkflowPhase | ArgoNodePhase;

const indicators: Record<Phase, typeof StatusOK> = {
  Pending: StatusPending,
  Running: StatusRunning,
  Succeeded: StatusOK,
  Failed: StatusError,
  Error: StatusError,
  Skipped: StatusAborted,
  Omitted: StatusAborted,
  Unknown: StatusWarning,
};

/** Phases that will still change: views of them refresh themselves. */
export function isLivePhase(phase: Phase): boolean {
  return phase === 'Pending' || phase === 'Running';
}

/**
 * Runs that will still change: pending or running, or just created (the
 * controller has not set a phase yet). Views of them refresh themselves.
 */
export function isLiveRun(run: {
  phase: ArgoWorkflowPhase;
  finishedAt?: string;
}): boolean {
  return isLivePhase(run.phase) || (run.phase === 'Unknown' && !run.finishedAt);
}

/** Phases a retry applies to. */
export function isFailedPhase(phase: Phase): boolean {
  return phase === 'Failed' || phase === 'Error';
}

/** An Argo workflow or node phase as a Backstage status indicator with its name. */
export function ArgoPhase(props: { phase: Phase; label?: string }) {
  const Indicator = indicators[props.phase] ?? StatusWarning;
  return <Indicator>{props.label ?? props.phase}</Indicator>;
}
