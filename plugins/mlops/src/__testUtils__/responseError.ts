import { ResponseError } from '@backstage/errors';

/** A ResponseError as MlopsClient throws it for a Backstage error body. */
export function responseError(
  status: number,
  message: string,
  name = status === 400 ? 'InputError' : 'ServiceUnavailableError',
): Promise<ResponseError> {
  const statusText =
    (
      {
        400: 'Bad Request',
        404: 'Not Found',
        503: 'Service Unavailable',
      } as Record<number, string>
    )[status] ?? 'Error';
  const body = JSON.stringify({
    error: { name, message },
    request: {
      method: 'GET',
      url: '/api/mlops/entities/component/default/x/mlflow/runs',
    },
    response: { statusCode: status },
  });
  return ResponseError.fromResponse({
    ok: false,
    status,
    statusText,
    url: 'http://localhost/api/mlops',
    headers: {
      get: (h: string) =>
        h.toLowerCase() === 'content-type' ? 'application/json' : null,
    } as Headers,
    text: async () => body,
  } as any);
}
