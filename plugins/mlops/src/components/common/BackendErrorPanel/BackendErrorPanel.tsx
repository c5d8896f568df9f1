import { ResponseErrorPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/**
 * A one-line summary of an error from the MLStack backend's cluster routes,
 * saying what kind of failure it is and carrying the backend's message:
 * `subject` names what was asked (`Argo Workflows`, `KServe`).
 */
export function describeBackendError(error: Error, subject: string): string {
  if (!ResponseError.is(error)) {
    return error.message;
  }
  const { statusCode } = error;
  const message = error.cause.message;
  let what: string;
  if (statusCode === 400) {
    what = `The entity's ${subject} annotations or the request are not valid`;
  } else if (statusCode === 401 || statusCode === 403) {
    what = `Not allowed: you or the backend's cluster account lack the permission`;
  } else if (statusCode === 404) {
    what = `Not found in ${subject}`;
  } else if (statusCode === 409) {
    what = `Conflict in ${subject}`;
  } else if ([502, 503, 504].includes(statusCode)) {
    what = `The cluster is unreachable or refused the backend's credentials`;
  } else {
    what = `${subject} request failed`;
  }
  return `${what} (${statusCode}): ${message}`;
}

export interface BackendErrorPanelProps {
  error: Error;
  /** What was asked, for the message: `Argo Workflows`, `KServe`. */
  subject: string;
  /** What failed, e.g. `Could not load run x`; prefixes the summary. */
  title?: string;
}

/** `ResponseErrorPanel` whose title says what went wrong in words: 400, 403, 404, 503. */
export function BackendErrorPanel(props: BackendErrorPanelProps) {
  const { error, subject, title } = props;
  const summary = describeBackendError(error, subject);
  return (
    <ResponseErrorPanel
      error={error}
      title={title ? `${title}: ${summary}` : summary}
    />
  );
}
