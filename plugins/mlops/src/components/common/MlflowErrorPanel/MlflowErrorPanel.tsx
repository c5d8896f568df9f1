import { ResponseErrorPanel } from '@backstage/core-components';
import { ResponseError } from '@backstage/errors';

/** A one-line summary of an error from the MLStack backend. */
export function describeMlflowError(error: Error): string {
  if (ResponseError.is(error)) {
    const unavailable = [502, 503, 504].includes(error.statusCode);
    return `${
      unavailable ? 'MLflow is unavailable' : 'MLflow request failed'
    } (${error.statusCode}): ${error.cause.message}`;
  }
  return error.message;
}

export interface MlflowErrorPanelProps {
  error: Error;
  title?: string;
}

/** `ResponseErrorPanel` whose title carries the backend's message, e.g. why MLflow is down. */
export function MlflowErrorPanel(props: MlflowErrorPanelProps) {
  const { error, title } = props;
  return (
    <ResponseErrorPanel
      error={error}
      title={
        title
          ? `${title}: ${describeMlflowError(error)}`
          : describeMlflowError(error)
      }
    />
  );
}
