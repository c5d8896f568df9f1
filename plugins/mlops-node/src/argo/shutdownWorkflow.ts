import { ConflictError } from '@backstage/errors';
import { objectAt, readMetadata } from '../kubernetes/objects';
import { ARGO_LABELS } from './constants';
import { toLabelValue } from './labels';
import { readWorkflowPhase } from './parseWorkflowSummary';

/**
 * How Argo shuts a workflow down: Stop runs exit handlers, Terminate does not.
 *
 * @public
 */
export type ArgoShutdownStrategy = 'Stop' | 'Terminate';

/** Content type of the shutdown patch: a JSON merge patch, as Argo sends it. */
export const ARGO_SHUTDOWN_PATCH_CONTENT_TYPE = 'application/merge-patch+json';

/**
 * The merge patch that stops or terminates a workflow.
 *
 * @public
 */
export interface ArgoShutdownPatch {
  spec: { shutdown: ArgoShutdownStrategy };
  metadata?: { labels: Record<string, string> };
}

/**
 * The merge patch `argo stop` / `argo terminate` send (argo-workflows
 * `workflow/util/util.go`, `patchShutdownStrategy`): `{"spec":{"shutdown":"Stop"}}`. With an
 * actor, the labels the Argo Server adds for an authenticated user come too
 * (`creator.UserActionLabel`): `workflows.argoproj.io/actor` (label-safe) and
 * `workflows.argoproj.io/action: Stop|Terminate`.
 *
 * Argo refuses to shut down a completed workflow; call assertWorkflowCanBeShutDown on the
 * current object first.
 *
 * @public
 */
export function buildShutdownPatch(
  strategy: ArgoShutdownStrategy,
  options: { actor?: string } = {},
): ArgoShutdownPatch {
  const patch: ArgoShutdownPatch = { spec: { shutdown: strategy } };
  const actor = options.actor ? toLabelValue(options.actor) : '';
  if (actor) {
    patch.metadata = {
      labels: { [ARGO_LABELS.actor]: actor, [ARGO_LABELS.action]: strategy },
    };
  }
  return patch;
}

/**
 * Throws a ConflictError for a workflow that already finished (Succeeded, Failed or Error),
 * as Argo's `AlreadyShutdownError` does.
 *
 * @public
 */
export function assertWorkflowCanBeShutDown(workflow: unknown): void {
  const phase = readWorkflowPhase(objectAt(objectAt(workflow).status).phase);
  if (phase === 'Succeeded' || phase === 'Failed' || phase === 'Error') {
    const { name, namespace } = readMetadata(workflow);
    throw new ConflictError(
      `Workflow '${name}' in namespace '${namespace}' has already completed (${phase}); it cannot be stopped or terminated`,
    );
  }
}
