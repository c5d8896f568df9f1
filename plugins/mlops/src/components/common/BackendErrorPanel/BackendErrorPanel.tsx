import { ResponseErrorPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/**
 * How a summary words the status code of a failed request:
 *
 * - `status`, for the backend's cluster routes (Argo Workflows, KServe) and the lineage: 400,
 *   401/403, 404 and 409 each in words, and 502–504 as an unreachable cluster;
 * - `availability`, for MLflow: only whether it is unavailable (502–504) or the request failed.
 */
export type BackendErrorWording = 'status' | 'availability';

function describeStatus(
  statusCode: number,
  subject: string,
  wording: BackendErrorWording,
): string {
  const unavailable = [502, 503, 504].includes(statusCode);
  if (wording === 'availability') {
    return unavailable
      ? `${subject} is unavailable`
      : `${subject} request failed`;
  }
  if (statusCode === 400) {
    return `The entity's ${subject} annotations or the request are not valid`;
  } else if (statusCode === 401 || statusCode === 403) {
    return `Not allowed: you or the backend's cluster account lack the permission`;
  } else if (statusCode === 404) {
    return `Not found in ${subject}`;
  } else if (statusCode === 409) {
    return `Conflict in ${subject}`;
  } else if (unavailable) {
    return `The cluster is unreachable or refused the backend's credentials`;
  }
  return `${subject} request failed`;
}

/**
 * A one-line summary of an error from the MLStack backend, saying what kind of
 * failure it is and carrying the backend's message: `subject` names what was
 * asked (`Argo Workflows`, `KServe`, `MLflow`), `wording` how the status reads.
 */
export function describeBackendError(
  error: Error,
  subject: string,
  wording: BackendErrorWording = 'status',
): string {
  if (!ResponseError.is(error)) {
    return error.message;
  }
  const { statusCode } = error;
  const what = describeStatus(statusCode, subject, wording);
  return `${what} (${statusCode}): ${error.cause.message}`;
}

export interface BackendErrorPanelProps {
  error: Error;
  /** What was asked, for the message: `Argo Workflows`, `KServe`, `MLflow`. */
  subject: string;
  /** How the status reads; `status` unless given (`availability` for MLflow). */
  wording?: BackendErrorWording;
  /** What failed, e.g. `Could not load run x`; prefixes the summary. */
  title?: string;
}

/**
 * `ResponseErrorPanel` whose title says what went wrong in words (400, 403,
 * 404, 503; or why MLflow is down) and carries the backend's message.
 */
export function BackendErrorPanel(props: BackendErrorPanelProps) {
  const { error, subject, wording, title } = props;
  const summary = describeBackendError(error, subject, wording);
  return (
    <ResponseErrorPanel
      error={error}
      title={title ? `${title}: ${summary}` : summary}
    />
  );
}
