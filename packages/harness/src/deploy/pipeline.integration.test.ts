/*
 * The example pipeline's Python (deploy/minikube/pipelines/fraud-detector), run outside the
 * cluster against the harness's real MLflow server, which is configured like the stack's
 * (SQLite, artifacts proxied to s3://mlflow-artifacts on MinIO): the `train` step must leave
 * a finished run, a registered model version and exactly one model file at the s3:// folder
 * it hands to KServe; the `smoke-test` step must speak KServe's v1 protocol.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { projectToolPath } from '../projectTools';
import { requireHarnessService } from '../harnessState';
import { deployPath, run } from './kubectl';

jest.setTimeout(180_000);

const PYTHON = projectToolPath('venv', 'bin', 'python');
const SCRIPTS = deployPath('pipelines', 'fraud-detector');

async function mlflowGet<T>(baseUrl: string, apiPath: string): Promise<T> {
  const res = await fetch(`${baseUrl}/api/2.0/mlflow/${apiPath}`);
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

describe('the example pipeline (fraud-detector-train)', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-pipeline-'));
  afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it('ships Python that compiles', async () => {
    for (const script of ['train.py', 'smoke_test.py']) {
      const res = await run(PYTHON, [
        '-c',
        'import ast, sys; ast.parse(open(sys.argv[1]).read(), sys.argv[1])',
        path.join(SCRIPTS, script),
      ]);
      expect({ script, stderr: res.stderr, code: res.code }).toEqual({
        script,
        stderr: '',
        code: 0,
      });
    }
  });

  it('train: logs a run to MLflow, registers a version, and puts the model where KServe reads it', async () => {
    const { url } = requireHarnessService('mlflow');
    const s3State = requireHarnessService('s3');
    const name = `deploy-test-${Date.now()}`;
    const outputs = path.join(tmp, 'outputs');

    const res = await run(PYTHON, [path.join(SCRIPTS, 'train.py')], {
      env: {
        PATH: process.env.PATH,
        MLFLOW_TRACKING_URI: url,
        ARTIFACTS_DESTINATION: 's3://mlflow-artifacts',
        EXPERIMENT_NAME: name,
        MODEL_NAME: name,
        N_ESTIMATORS: '20',
        MAX_DEPTH: '4',
        RUN_NAME: `${name}-run`,
        WORKFLOW_NAME: `${name}-workflow`,
        OUTPUT_DIR: outputs,
      },
    });
    expect({ code: res.code, stderr: res.stderr }).toEqual({
      code: 0,
      stderr: '',
    });

    const read = (f: string) => fs.readFileSync(path.join(outputs, f), 'utf8');
    const runId = read('run-id');
    const storageUri = read('storage-uri');
    const metrics = JSON.parse(read('metrics.json'));
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(read('model-version')).toBe('1');
    expect(Object.keys(metrics).sort()).toEqual([
      'accuracy',
      'f1',
      'precision',
      'recall',
      'roc_auc',
    ]);
    expect(metrics.accuracy).toBeGreaterThan(0.8);

    // The run: finished, with its params, metrics and tags.
    const { run: mlrun } = await mlflowGet<{ run: any }>(
      url,
      `runs/get?run_id=${runId}`,
    );
    expect(mlrun.info).toMatchObject({
      status: 'FINISHED',
      run_name: `${name}-run`,
    });
    const params = Object.fromEntries(
      mlrun.data.params.map((p: any) => [p.key, p.value]),
    );
    expect(params).toMatchObject({ n_estimators: '20', max_depth: '4' });
    const logged = Object.fromEntries(
      mlrun.data.metrics.map((m: any) => [m.key, m.value]),
    );
    expect(logged).toEqual(metrics);
    const tags = Object.fromEntries(
      mlrun.data.tags.map((t: any) => [t.key, t.value]),
    );
    expect(tags).toMatchObject({
      'argo.workflow': `${name}-workflow`,
      'kserve.storage_uri': storageUri,
    });

    // The registered version points at the run's model folder.
    const { model_version: version } = await mlflowGet<{ model_version: any }>(
      url,
      `model-versions/get?name=${encodeURIComponent(name)}&version=1`,
    );
    expect(version).toMatchObject({
      run_id: runId,
      source: `${mlrun.info.artifact_uri}/model`,
    });

    // KServe's storage initializer downloads the folder; the sklearn server wants exactly
    // one model file in it.
    const match = /^s3:\/\/([^/]+)\/(.+)$/.exec(storageUri);
    expect(match).not.toBeNull();
    const [, bucket, prefix] = match!;
    expect(bucket).toBe('mlflow-artifacts');
    expect(prefix).toBe(`${mlrun.info.experiment_id}/${runId}/artifacts/model`);
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
      new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/` }),
    );
    expect((listed.Contents ?? []).map(o => o.Key)).toEqual([
      `${prefix}/model.joblib`,
    ]);

    // And it is a scikit-learn model that answers for the smoke test's 8 features.
    const object = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/model.joblib` }),
    );
    const modelFile = path.join(tmp, 'model.joblib');
    fs.writeFileSync(modelFile, await object.Body!.transformToByteArray());
    const predicted = await run(PYTHON, [
      '-c',
      [
        'import json, sys, joblib',
        'model = joblib.load(sys.argv[1])',
        'print(json.dumps([int(p) for p in model.predict([[0.0] * 8, [1.0] * 8])]))',
      ].join('\n'),
      modelFile,
    ]);
    expect(predicted.code).toBe(0);
    expect(JSON.parse(predicted.stdout)).toEqual([
      expect.any(Number),
      expect.any(Number),
    ]);
  });

  it('train: marks the run FAILED and exits non-zero when the server does not proxy artifacts', async () => {
    // A server whose runs have s3:// artifact URIs (no --serve-artifacts): the step cannot
    // hand KServe a model it uploaded, and must say so.
    const { url } = requireHarnessService('mlflow');
    const name = `deploy-test-noproxy-${Date.now()}`;
    const created = await fetch(`${url}/api/2.0/mlflow/experiments/create`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name,
        artifact_location: 's3://mlflow-artifacts/elsewhere',
      }),
    });
    expect(created.status).toBe(200);
    const res = await run(PYTHON, [path.join(SCRIPTS, 'train.py')], {
      env: {
        PATH: process.env.PATH,
        MLFLOW_TRACKING_URI: url,
        ARTIFACTS_DESTINATION: 's3://mlflow-artifacts',
        EXPERIMENT_NAME: name,
        MODEL_NAME: name,
        N_ESTIMATORS: '5',
        OUTPUT_DIR: path.join(tmp, 'noproxy'),
      },
    });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toContain('--serve-artifacts');
    const { runs } = await fetch(`${url}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        experiment_ids: [((await created.json()) as any).experiment_id],
      }),
    }).then(r => r.json() as Promise<{ runs: any[] }>);
    expect(runs.map(r => r.info.status)).toEqual(['FAILED']);
  });

  it('smoke-test: sends KServe v1 instances and accepts 0/1 predictions, retrying while the predictor starts', async () => {
    const requests: any[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', chunk => {
        body += chunk;
      });
      req.on('end', () => {
        requests.push({ method: req.method, url: req.url, body });
        if (requests.length === 1) {
          res.writeHead(503).end('starting');
          return;
        }
        res
          .writeHead(200, { 'content-type': 'application/json' })
          .end(JSON.stringify({ predictions: [0, 1] }));
      });
    });
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    try {
      const { port } = server.address() as AddressInfo;
      const predictUrl = `http://127.0.0.1:${port}/v1/models/fraud-detector:predict`;
      const res = await run(PYTHON, [path.join(SCRIPTS, 'smoke_test.py')], {
        env: {
          PATH: process.env.PATH,
          PREDICT_URL: predictUrl,
          TIMEOUT_SECONDS: '60',
        },
      });
      expect(res.code).toBe(0);
      expect(res.stdout).toContain(`${predictUrl} -> [0, 1]`);
      expect(requests).toHaveLength(2);
      expect(requests[1]).toMatchObject({
        method: 'POST',
        url: '/v1/models/fraud-detector:predict',
      });
      const { instances } = JSON.parse(requests[1].body);
      expect(instances).toHaveLength(2);
      instances.forEach((row: number[]) => expect(row).toHaveLength(8));
    } finally {
      await new Promise(resolve => server.close(resolve));
    }
  });
});
