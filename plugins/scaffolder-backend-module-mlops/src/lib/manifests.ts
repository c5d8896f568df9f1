import { isChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { kserveS3Annotations, S3Settings } from './s3';
import { validateDnsSubdomain } from './validation';

/** A Kubernetes object as a plain JSON object. */
export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

/** Where a manifest came from, for messages (never its content). */
export interface ManifestSource {
  manifest: KubernetesManifest;
  /** e.g. `k8s/serving.yaml#2` */
  origin: string;
}

/**
 * The kinds the action applies, by API group, in the order they are applied. Everything a
 * project's pipelines and model serving need inside its own namespace, and nothing that reaches
 * beyond it: no cluster-scoped kinds (but the project's own Namespace), no workloads that run
 * code straight away (Pods, Deployments, Jobs, Workflows), no ClusterRoles or bindings to them.
 */
export const ALLOWED_KINDS: ReadonlyArray<{ group: string; kind: string }> = [
  { group: '', kind: 'Namespace' },
  { group: '', kind: 'ServiceAccount' },
  { group: '', kind: 'Secret' },
  { group: '', kind: 'ConfigMap' },
  { group: 'rbac.authorization.k8s.io', kind: 'Role' },
  { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' },
  { group: 'serving.kserve.io', kind: 'ServingRuntime' },
  { group: 'argoproj.io', kind: 'WorkflowTemplate' },
  { group: 'argoproj.io', kind: 'CronWorkflow' },
  { group: 'serving.kserve.io', kind: 'InferenceService' },
];

const SERVER_MAINTAINED_METADATA = [
  'resourceVersion',
  'uid',
  'creationTimestamp',
  'generation',
  'managedFields',
  'selfLink',
];

function groupOf(apiVersion: string): string {
  return apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
}

function kindRank(manifest: KubernetesManifest): number {
  const group = groupOf(manifest.apiVersion);
  return ALLOWED_KINDS.findIndex(
    k => k.group === group && k.kind === manifest.kind,
  );
}

export function describeManifest(manifest: KubernetesManifest): string {
  return `${manifest.kind} '${manifest.metadata.name}'`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's real path, refused unless it is inside the workspace (symlinks followed). */
async function resolveWorkspaceFile(
  workspacePath: string,
  relative: string,
): Promise<string> {
  if (!relative.trim() || path.isAbsolute(relative)) {
    throw new InputError(
      `manifestPaths: '${relative}' must be a path relative to the workspace`,
    );
  }
  const candidate = path.resolve(workspacePath, relative);
  const escape = new InputError(
    `manifestPaths: '${relative}' points outside the workspace`,
  );
  if (!isChildPath(workspacePath, candidate)) {
    throw escape;
  }
  let real: string;
  try {
    real = await fs.realpath(candidate);
  } catch {
    throw new InputError(
      `manifestPaths: '${relative}' does not exist in the workspace`,
    );
  }
  if (!isChildPath(await fs.realpath(workspacePath), real)) {
    throw escape;
  }
  return real;
}

/**
 * Checks one manifest: an allowed kind, a name, and the action's namespace (filled in when
 * absent; anything else is an InputError). RoleBindings may only bind a Role to service
 * accounts of the namespace.
 */
function checkManifest(
  value: unknown,
  origin: string,
  namespace: string,
): KubernetesManifest {
  if (!isPlainObject(value)) {
    throw new InputError(`${origin}: not a Kubernetes object`);
  }
  const { apiVersion, kind } = value;
  const metadata = isPlainObject(value.metadata) ? value.metadata : undefined;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !metadata) {
    throw new InputError(
      `${origin}: a Kubernetes object needs apiVersion, kind and metadata`,
    );
  }
  const group = groupOf(apiVersion);
  if (!ALLOWED_KINDS.some(k => k.group === group && k.kind === kind)) {
    throw new InputError(
      `${origin}: ${kind} (${apiVersion}) may not be applied by this action; allowed are ${ALLOWED_KINDS.map(
        k => k.kind,
      ).join(', ')}`,
    );
  }
  const name = metadata.name;
  if (typeof name !== 'string' || !name) {
    throw new InputError(
      `${origin}: ${kind} has no metadata.name (generateName is not supported: applying must be repeatable)`,
    );
  }
  validateDnsSubdomain(name, `${origin}: metadata.name`);
  const manifest = value as KubernetesManifest;
  // What the API server maintains (a manifest exported from a cluster has them): a stale
  // resourceVersion would make every apply a conflict.
  for (const field of SERVER_MAINTAINED_METADATA) {
    delete manifest.metadata[field];
  }
  delete manifest.status;
  if (kind === 'Namespace') {
    if (name !== namespace || metadata.namespace !== undefined) {
      throw new InputError(
        `${origin}: only the namespace '${namespace}' itself may be applied, not Namespace '${name}'`,
      );
    }
    return manifest;
  }
  if (metadata.namespace === undefined || metadata.namespace === null) {
    manifest.metadata.namespace = namespace;
  } else if (metadata.namespace !== namespace) {
    throw new InputError(
      `${origin}: ${kind} '${name}' names namespace '${String(
        metadata.namespace,
      )}', but this step applies to namespace '${namespace}' only`,
    );
  }
  if (kind === 'RoleBinding') {
    const roleRef = isPlainObject(value.roleRef) ? value.roleRef : {};
    if (roleRef.kind !== 'Role') {
      throw new InputError(
        `${origin}: RoleBinding '${name}' must bind a Role of the namespace, not ${String(
          roleRef.kind,
        )} '${String(roleRef.name)}'`,
      );
    }
    const subjects = Array.isArray(value.subjects) ? value.subjects : [];
    for (const subject of subjects) {
      if (
        !isPlainObject(subject) ||
        subject.kind !== 'ServiceAccount' ||
        (subject.namespace !== undefined && subject.namespace !== namespace)
      ) {
        throw new InputError(
          `${origin}: RoleBinding '${name}' may only bind service accounts of namespace '${namespace}'`,
        );
      }
    }
  }
  return manifest;
}

/**
 * Reads the YAML files (several documents each), checks every object, and returns them in
 * the order they are applied (by kind, see ALLOWED_KINDS; file order within a kind). An object
 * named twice is an InputError.
 */
export async function loadManifests(
  workspacePath: string,
  manifestPaths: string[],
  namespace: string,
): Promise<ManifestSource[]> {
  const sources: ManifestSource[] = [];
  for (const relative of manifestPaths) {
    const file = await resolveWorkspaceFile(workspacePath, relative);
    const text = await fs.readFile(file, 'utf8').catch(error => {
      throw new InputError(
        `manifestPaths: cannot read '${relative}': ${(error as Error).message}`,
      );
    });
    parseAllDocuments(text).forEach((document, index) => {
      const origin = `${relative}#${index + 1}`;
      if (document.errors.length > 0) {
        throw new InputError(
          `${origin}: not valid YAML: ${document.errors[0].message}`,
        );
      }
      const value = document.toJS();
      if (value === null || value === undefined) {
        return; // an empty document, e.g. after a trailing ---
      }
      sources.push({
        manifest: checkManifest(value, origin, namespace),
        origin,
      });
    });
  }
  const seen = new Map<string, string>();
  for (const { manifest, origin } of sources) {
    const key = `${groupOf(manifest.apiVersion)}/${manifest.kind}/${
      manifest.metadata.name
    }`;
    const earlier = seen.get(key);
    if (earlier) {
      throw new InputError(
        `${origin}: ${describeManifest(
          manifest,
        )} is already defined in ${earlier}`,
      );
    }
    seen.set(key, origin);
  }
  return sources
    .map((source, index) => ({ source, index }))
    .sort(
      (a, b) =>
        kindRank(a.source.manifest) - kindRank(b.source.manifest) ||
        a.index - b.index,
    )
    .map(({ source }) => source);
}

/**
 * The Secret with the configured S3 credentials, annotated for KServe's storage initializer,
 * and the ServiceAccount that lists it (for InferenceServices with `serviceAccountName`).
 */
export function s3CredentialManifests(
  settings: S3Settings,
  namespace: string,
  names: { secretName: string; serviceAccountName: string },
): ManifestSource[] {
  validateDnsSubdomain(names.secretName, 's3Credentials.secretName');
  validateDnsSubdomain(
    names.serviceAccountName,
    's3Credentials.serviceAccountName',
  );
  const labels = { 'app.kubernetes.io/managed-by': 'mlstack-scaffolder' };
  const base64 = (value: string) =>
    Buffer.from(value, 'utf8').toString('base64');
  return [
    {
      origin: 's3Credentials.secretName',
      manifest: {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: {
          name: names.secretName,
          namespace,
          labels,
          annotations: kserveS3Annotations(settings),
        },
        type: 'Opaque',
        data: {
          AWS_ACCESS_KEY_ID: base64(settings.accessKeyId),
          AWS_SECRET_ACCESS_KEY: base64(settings.secretAccessKey),
        },
      },
    },
    {
      origin: 's3Credentials.serviceAccountName',
      manifest: {
        apiVersion: 'v1',
        kind: 'ServiceAccount',
        metadata: { name: names.serviceAccountName, namespace, labels },
        secrets: [{ name: names.secretName }],
      },
    },
  ];
}
