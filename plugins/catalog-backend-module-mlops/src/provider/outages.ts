import { InputError, NotAllowedError, NotFoundError } from '@backstage/errors';

/**
 * Whether an MLflow failure means the instance cannot be read at all (unreachable, timed out,
 * 5xx, credentials rejected) rather than something wrong with one model (a name MLflow
 * refuses). A run with an outage must not replace the catalog's entities.
 */
export function isMlflowOutage(error: unknown): boolean {
  return !InputError.is(error) && !NotFoundError.is(error);
}

/**
 * Whether a Kubernetes failure means the cluster cannot be read (unreachable, timed out, 5xx)
 * rather than one namespace being out of reach (forbidden: the claimer's services are left out).
 */
export function isKubernetesOutage(error: unknown): boolean {
  return (
    !InputError.is(error) &&
    !NotFoundError.is(error) &&
    !NotAllowedError.is(error)
  );
}

export function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
