import fs from 'node:fs';
import path from 'node:path';
import { projectToolPath } from './projectTools';

export interface HarnessState {
  s3?: {
    endpoint: string;
    region: string;
    accessKeyId: string;
    secretAccessKey: string;
    buckets: string[];
  };
  mlflow?: { url: string };
  kube?: {
    server: string;
    kubeconfig: string;
    context: string;
    noRightsContext: string;
    caFile: string;
    adminToken: string;
    noRightsToken: string;
  };
  /** The real node (`harness.sh up kube node`, root only): pods run, Argo steps with `up argo`. */
  node?: {
    name: string;
    /** The node's address; pods reach the harness's services here (`harness.sh expose`). */
    ip: string;
    podCidr: string;
    containerdAddress: string;
  };
}

/** Where the harness writes its state; MLSTACK_HARNESS_DIR overrides, as for the script. */
export function harnessStatePath(): string {
  const dir = process.env.MLSTACK_HARNESS_DIR ?? projectToolPath('harness');
  return path.join(dir, 'harness.json');
}

export function readHarnessState(): HarnessState {
  const file = harnessStatePath();
  if (!fs.existsSync(file)) {
    return {};
  }
  return JSON.parse(fs.readFileSync(file, 'utf8')) as HarnessState;
}

/**
 * The state of one service, or an error that says how to start it. Integration tests call
 * this first so that a harness that is not up fails loudly instead of skipping.
 */
export function requireHarnessService<K extends keyof HarnessState>(
  service: K,
): NonNullable<HarnessState[K]> {
  const state = readHarnessState()[service];
  if (!state) {
    const names = { s3: 's3', mlflow: 'mlflow', kube: 'kube', node: 'kube node argo' } as const;
    throw new Error(
      `The harness service '${service}' is not running (no entry in ${harnessStatePath()}). ` +
        `Start it with: scripts/harness/harness.sh up ${names[service]}`,
    );
  }
  return state as NonNullable<HarnessState[K]>;
}
