import { targetPaths } from '@backstage/cli-common';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { readHarnessState } from './harnessState';
import { projectToolPath } from './projectTools';

/** What scripts/harness/seed_mlflow.py prints (see its docstring). */
export interface MlflowSeedSummary {
  user: string;
  owner: string;
  metricSteps: number;
  experiments: Record<'fraudDetector' | 'tuning', { id: string; name: string }>;
  runs: {
    parent: string;
    children: Array<{
      runId: string;
      runName: string;
      params: Record<string, string>;
      gitCommit: string;
      finalMetrics: { loss: number; accuracy: number };
      history: { loss: number[]; accuracy: number[] };
      loggedModelId: string;
      modelVersion: string;
    }>;
    bestChild: string;
    failed: string;
    running: string;
    tuning: string[];
  };
  registeredModel: {
    name: string;
    versions: Array<{ version: string; runId: string; modelId: string }>;
    aliases: Record<string, string>;
  };
  loggedModels: Array<{ modelId: string; name: string; sourceRunId: string }>;
}

/**
 * Seeds an MLflow server with the example project (`scripts/harness/seed_mlflow.py`, the real
 * MLflow client in the project's venv), every name prefixed with `prefix`; returns its summary.
 */
export async function seedMlflow(
  trackingUri: string,
  prefix: string,
  options: { owner?: string } = {},
): Promise<MlflowSeedSummary> {
  const s3 = readHarnessState().s3;
  const { stdout } = await promisify(execFile)(
    projectToolPath('venv', 'bin', 'python'),
    [
      targetPaths.resolveRoot('scripts', 'harness', 'seed_mlflow.py'),
      '--tracking-uri',
      trackingUri,
      '--prefix',
      prefix,
      ...(options.owner ? ['--owner', options.owner] : []),
    ],
    {
      env: {
        ...process.env,
        MLFLOW_TRACKING_URI: trackingUri,
        // Needed only if the server hands out s3:// artifact locations instead of proxying.
        ...(s3 && {
          MLFLOW_S3_ENDPOINT_URL: s3.endpoint,
          AWS_ACCESS_KEY_ID: s3.accessKeyId,
          AWS_SECRET_ACCESS_KEY: s3.secretAccessKey,
          AWS_DEFAULT_REGION: s3.region,
        }),
      },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 240_000,
    },
  );
  return JSON.parse(stdout) as MlflowSeedSummary;
}
