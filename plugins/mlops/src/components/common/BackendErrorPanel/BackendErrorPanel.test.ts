import { responseError } from '../../../__testUtils__/responseError';
import { describeBackendError } from './BackendErrorPanel';

describe('describeBackendError', () => {
  it('names each status of the cluster routes', async () => {
    const cases: Array<[number, string]> = [
      [400, "The entity's KServe annotations or the request are not valid"],
      [
        401,
        "Not allowed: you or the backend's cluster account lack the permission",
      ],
      [
        403,
        "Not allowed: you or the backend's cluster account lack the permission",
      ],
      [404, 'Not found in KServe'],
      [409, 'Conflict in KServe'],
      [502, "The cluster is unreachable or refused the backend's credentials"],
      [503, "The cluster is unreachable or refused the backend's credentials"],
      [504, "The cluster is unreachable or refused the backend's credentials"],
      [500, 'KServe request failed'],
    ];
    for (const [status, what] of cases) {
      expect(
        describeBackendError(await responseError(status, 'why'), 'KServe'),
      ).toBe(`${what} (${status}): why`);
    }
  });

  it('says only whether MLflow is unavailable or the request failed', async () => {
    const cases: Array<[number, string]> = [
      [400, 'MLflow request failed'],
      [403, 'MLflow request failed'],
      [404, 'MLflow request failed'],
      [500, 'MLflow request failed'],
      [502, 'MLflow is unavailable'],
      [503, 'MLflow is unavailable'],
      [504, 'MLflow is unavailable'],
    ];
    for (const [status, what] of cases) {
      expect(
        describeBackendError(
          await responseError(status, 'why'),
          'MLflow',
          'availability',
        ),
      ).toBe(`${what} (${status}): why`);
    }
  });

  it('passes on the message of an error that is not a response', () => {
    const error = new Error('Failed to fetch');
    expect(describeBackendError(error, 'Argo Workflows')).toBe(
      'Failed to fetch',
    );
    expect(describeBackendError(error, 'MLflow', 'availability')).toBe(
      'Failed to fetch',
    );
  });
});
