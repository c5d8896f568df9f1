import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { requireHarnessService } from './harnessState';

/** The MLflow REST API, called the way any client would. */
async function mlflow<T>(
  baseUrl: string,
  method: 'GET' | 'POST',
  apiPath: string,
  body?: unknown,
): Promise<{ status: number; json: T }> {
  const res = await fetch(`${baseUrl}/api/2.0/mlflow/${apiPath}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as T };
}

describe('harness MLflow server', () => {
  const { url } = requireHarnessService('mlflow');
  const s3State = requireHarnessService('s3');
  const name = `harness-test-${Date.now()}`;

  it('creates an experiment and reads it back by name and by id', async () => {
    const created = await mlflow<{ experiment_id: string }>(
      url,
      'POST',
      'experiments/create',
      { name, tags: [{ key: 'team', value: 'ml-team' }] },
    );
    expect(created.status).toBe(200);
    expect(created.json.experiment_id).toMatch(/^\d+$/);

    const byName = await mlflow<{ experiment: any }>(
      url,
      'GET',
      `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
    );
    expect(byName.json.experiment).toMatchObject({
      experiment_id: created.json.experiment_id,
      name,
      lifecycle_stage: 'active',
      tags: [{ key: 'team', value: 'ml-team' }],
    });
    // Artifacts are proxied by the tracking server, not written to a local path.
    expect(byName.json.experiment.artifact_location).toMatch(
      /^mlflow-artifacts:\//,
    );
  });

  it('answers an unknown experiment with RESOURCE_DOES_NOT_EXIST', async () => {
    const res = await mlflow<{ error_code: string; message: string }>(
      url,
      'GET',
      'experiments/get-by-name?experiment_name=no-such-experiment-anywhere',
    );
    expect(res.status).toBe(404);
    expect(res.json.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('stores run artifacts in the S3 bucket', async () => {
    const exp = await mlflow<{ experiment: { experiment_id: string } }>(
      url,
      'GET',
      `experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
    );
    const run = await mlflow<{ run: { info: { run_id: string } } }>(
      url,
      'POST',
      'runs/create',
      { experiment_id: exp.json.experiment.experiment_id },
    );
    const runId = run.json.run.info.run_id;
    const upload = await fetch(
      `${url}/api/2.0/mlflow-artifacts/artifacts/${exp.json.experiment.experiment_id}/${runId}/artifacts/notes.txt`,
      { method: 'PUT', body: 'artifact body' },
    );
    expect(upload.status).toBe(200);

    const s3 = new S3Client({
      endpoint: s3State.endpoint,
      region: s3State.region,
      forcePathStyle: true,
      credentials: {
        accessKeyId: s3State.accessKeyId,
        secretAccessKey: s3State.secretAccessKey,
      },
    });
    const listed = await s3.send(
      new ListObjectsV2Command({
        Bucket: 'mlflow-artifacts',
        Prefix: `${exp.json.experiment.experiment_id}/${runId}/`,
      }),
    );
    s3.destroy();
    expect(listed.Contents?.map(o => o.Key)).toEqual([
      `${exp.json.experiment.experiment_id}/${runId}/artifacts/notes.txt`,
    ]);
  });
});
