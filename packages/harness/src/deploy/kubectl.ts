/*
 * Helpers for the tests of deploy/minikube: kubectl (the project's own, .tools/bin/kubectl)
 * against the harness API server, and kustomize through `kubectl kustomize`.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { targetPaths } from '@backstage/cli-common';
import { projectToolPath } from '../projectTools';
import { parseAllDocuments } from 'yaml';
import { requireHarnessService } from '../harnessState';

export const KUBECTL = projectToolPath('bin', 'kubectl');
export const DEPLOY_DIR = targetPaths.resolveRoot('deploy', 'minikube');

/** The namespaces of the Minikube stack, each with its one spelling. */
export const STACK_NAMESPACES = [
  'minio',
  'mlflow',
  'ml-projects',
  'mlstack-portal',
] as const;
/** Namespaces install.sh creates for the upstream parts. */
export const UPSTREAM_NAMESPACES = ['argo', 'kserve', 'cert-manager'] as const;

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a program; resolves with its exit code and output (never rejects on exit codes). */
export function run(
  file: string,
  args: string[],
  options: { input?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      file,
      args,
      {
        env: options.env ?? process.env,
        cwd: options.cwd,
        maxBuffer: 64 * 1024 * 1024,
        timeout: 120_000,
      },
      (error, stdout, stderr) => {
        const code =
          error && typeof (error as any).code === 'number'
            ? ((error as any).code as number)
            : 0;
        if (error && typeof (error as any).code !== 'number') {
          reject(
            new Error(`${file} ${args.join(' ')} failed: ${error.message}`),
          );
          return;
        }
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
    child.stdin?.end(options.input ?? '');
  });
}

/**
 * A discovery cache of this test process's own (kubectl otherwise writes to ~/.kube/cache
 * and may serve a stale list of resources after a CRD is added).
 */
const cacheDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlstack-kubectl-'));

/** kubectl as the harness admin (`--as` and friends go in args). */
export function kubectl(args: string[], input?: string): Promise<RunResult> {
  const kube = requireHarnessService('kube');
  return run(
    KUBECTL,
    [
      '--kubeconfig',
      kube.kubeconfig,
      '--context',
      kube.context,
      '--cache-dir',
      cacheDir,
      ...args,
    ],
    { input },
  );
}

/** Like kubectl, but throws with kubectl's output when it exits non-zero. */
export async function kubectlOk(
  args: string[],
  input?: string,
): Promise<string> {
  const res = await kubectl(args, input);
  if (res.code !== 0) {
    throw new Error(
      `kubectl ${args.join(' ')} exited ${res.code}:\n${res.stderr}${
        res.stdout
      }`,
    );
  }
  return res.stdout;
}

/** Path of a file or folder under deploy/minikube. */
export function deployPath(...parts: string[]): string {
  return path.join(DEPLOY_DIR, ...parts);
}

/** `kubectl kustomize <dir>` (kubectl's built-in kustomize): the rendered YAML. */
export async function kustomize(dir: string): Promise<string> {
  const res = await run(KUBECTL, ['kustomize', dir]);
  if (res.code !== 0) {
    throw new Error(
      `kubectl kustomize ${dir} exited ${res.code}:\n${res.stderr}`,
    );
  }
  return res.stdout;
}

export type KubeObject = {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
  [key: string]: any;
};

/** Every non-empty YAML document of a text. */
export function parseDocuments(text: string, source = 'YAML'): any[] {
  return parseAllDocuments(text)
    .map(doc => {
      if (doc.errors.length > 0) {
        throw new Error(`${source}: ${doc.errors[0].message}`);
      }
      return doc.toJS();
    })
    .filter(doc => doc !== null && doc !== undefined);
}

/** Every folder under deploy/minikube that holds a kustomization.yaml, relative to it. */
export function kustomizationDirs(): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) {
        walk(path.join(dir, entry.name));
      } else if (entry.name === 'kustomization.yaml') {
        found.push(path.relative(DEPLOY_DIR, dir));
      }
    }
  };
  walk(DEPLOY_DIR);
  return found.sort();
}

/** Every file under deploy/minikube (relative paths), optionally only those ending in ext. */
export function deployFiles(ext?: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
      } else if (!ext || entry.name.endsWith(ext)) {
        found.push(path.relative(DEPLOY_DIR, full));
      }
    }
  };
  walk(DEPLOY_DIR);
  return found.sort();
}

/** Creates (for real) the stack's namespaces from base/namespaces. Idempotent. */
export async function ensureStackNamespaces(): Promise<void> {
  // --force-conflicts: a demo's seed (scripts/start.sh keeps the cluster's objects between
  // starts) may have made ml-projects with labels of its own.
  await kubectlOk(
    ['apply', '--server-side', '--force-conflicts', '-f', '-'],
    await kustomize(deployPath('base', 'namespaces')),
  );
}

/**
 * `kubectl auth can-i VERB RESOURCE` as a service account: true for "yes" (exit 0), false
 * for "no" (exit 1); anything else is an error.
 */
export async function canI(
  serviceAccount: string,
  verb: string,
  resource: string,
  options: { namespace?: string; subresource?: string } = {},
): Promise<boolean> {
  const args = ['auth', 'can-i', verb, resource];
  if (options.subresource) {
    args.push(`--subresource=${options.subresource}`);
  }
  if (options.namespace) {
    args.push('-n', options.namespace);
  }
  args.push(`--as=system:serviceaccount:${serviceAccount}`);
  const res = await kubectl(args);
  if (res.stderr.includes("doesn't have a resource type")) {
    // kubectl would ask about the resource without its API group: a meaningless "no".
    throw new Error(`kubectl ${args.join(' ')}: ${res.stderr.trim()}`);
  }
  const answer = res.stdout.trim();
  if (res.code === 0 && answer === 'yes') {
    return true;
  }
  if (res.code === 1 && answer.startsWith('no')) {
    return false;
  }
  throw new Error(
    `kubectl ${args.join(' ')} exited ${res.code}: ${res.stdout}${res.stderr}`,
  );
}
