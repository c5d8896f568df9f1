import { ConflictError, InputError } from '@backstage/errors';
import {
  createConfiguration,
  HttpMethod,
  KubeConfig,
  KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  RequestContext,
  ResponseContext,
  ServerConfiguration,
} from '@kubernetes/client-node';
import {
  KubernetesCluster,
  toKubernetesError,
} from '@mlstack/plugin-mlops-node';
import { describeManifest, KubernetesManifest } from './manifests';

/** The field manager the action applies as; see `kubectl get -o yaml --show-managed-fields`. */
export const FIELD_MANAGER = 'mlstack-scaffolder';

export type ApplyResult = 'created' | 'configured' | 'unchanged';

export type AppliedObject = {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  result: ApplyResult;
};

interface HttpFailure {
  code: number;
  message?: string;
}

function httpCode(error: unknown): number | undefined {
  const code = (error as HttpFailure | undefined)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** Metadata the API server maintains; left out when comparing a dry-run answer. */
const SERVER_FIELDS = [
  'resourceVersion',
  'managedFields',
  'generation',
  'creationTimestamp',
  'uid',
];

function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(
          Object.entries(v).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

function comparable(object: KubernetesObject): string {
  const { status: _status, metadata, ...rest } = object as Record<string, any>;
  const meta = { ...metadata };
  for (const field of SERVER_FIELDS) {
    delete meta[field];
  }
  return stableJson({ ...rest, metadata: meta });
}

/**
 * A KubernetesObjectApi whose writes ask for `fieldValidation=Strict`, so that a misspelt or
 * unknown field is an error from the API server instead of being dropped silently.
 */
function strictObjectApi(kubeConfig: KubeConfig): KubernetesObjectApi {
  const server = kubeConfig.getCurrentCluster()?.server;
  if (!server) {
    return KubernetesObjectApi.makeApiClient(kubeConfig);
  }
  return new KubernetesObjectApi(
    createConfiguration({
      baseServer: new ServerConfiguration(server, {}),
      authMethods: { default: kubeConfig },
      promiseMiddleware: [
        {
          pre: async (context: RequestContext) => {
            if (context.getHttpMethod() === HttpMethod.PATCH) {
              context.setQueryParam('fieldValidation', 'Strict');
            }
            return context;
          },
          post: async (response: ResponseContext) => response,
        },
      ],
    }),
  );
}

/**
 * Server-side apply of checked manifests to one cluster as field manager
 * `mlstack-scaffolder`, without forcing conflicts. With `dryRun`, every request carries
 * `dryRun=All`: the API server validates (CRD schemas, admission) but stores nothing.
 */
export class ServerSideApplier {
  readonly #cluster: KubernetesCluster;
  readonly #api: KubernetesObjectApi;
  readonly #dryRun: boolean;

  constructor(cluster: KubernetesCluster, options: { dryRun: boolean }) {
    this.#cluster = cluster;
    this.#api = strictObjectApi(cluster.kubeConfig);
    this.#dryRun = options.dryRun;
  }

  /** The cluster's error for a failed call, with a clearer word for the common cases. */
  #error(error: unknown, manifest: KubernetesManifest, action: string): Error {
    const what = `${action} ${describeManifest(manifest)}${
      manifest.metadata.namespace
        ? ` in namespace '${manifest.metadata.namespace}'`
        : ''
    }`;
    const message = (error as Error | undefined)?.message ?? '';
    if (
      message.startsWith('Unrecognized API version and kind') ||
      (message.startsWith('Failed to fetch resource metadata') &&
        httpCode(error) === 404)
    ) {
      return new InputError(
        `Kubernetes cluster '${this.#cluster.name}' does not serve ${
          manifest.apiVersion
        } ${manifest.kind} (is its CRD installed?); cannot ${what}`,
      );
    }
    const converted = toKubernetesError(error, this.#cluster.name, what);
    // The API server answers a field of the wrong type in an apply patch with a 500
    // ("failed to create typed patch object"): it is the manifest that is wrong.
    if (/failed to create typed patch object/.test(converted.message)) {
      return new InputError(converted.message);
    }
    if (ConflictError.is(converted) && action === 'apply') {
      return new ConflictError(
        `${converted.message}. The action applies as field manager '${FIELD_MANAGER}' without forcing: ` +
          'a field another manager owns must be changed by that manager, or left out of the manifest',
      );
    }
    return converted;
  }

  /** The object as stored, or undefined if there is none. */
  async read(
    manifest: KubernetesManifest,
  ): Promise<KubernetesObject | undefined> {
    try {
      return await this.#api.read({
        apiVersion: manifest.apiVersion,
        kind: manifest.kind,
        metadata: {
          name: manifest.metadata.name,
          namespace: manifest.metadata.namespace,
        },
      });
    } catch (error) {
      if (
        httpCode(error) === 404 &&
        !(error as Error).message?.startsWith(
          'Failed to fetch resource metadata',
        )
      ) {
        return undefined;
      }
      throw this.#error(error, manifest, 'read');
    }
  }

  /**
   * Applies the manifest; `targetNamespace` replaces its namespace for the request only (a dry
   * run into another namespace, when the real one does not exist yet). The result compares
   * the object before and after: absent → created; new resourceVersion → configured (in a dry
   * run, which bumps nothing: different content); else unchanged.
   */
  async apply(
    manifest: KubernetesManifest,
    targetNamespace?: string,
  ): Promise<AppliedObject> {
    const sent: KubernetesManifest = targetNamespace
      ? {
          ...manifest,
          metadata: { ...manifest.metadata, namespace: targetNamespace },
        }
      : manifest;
    const before = await this.read(sent);
    let after: KubernetesObject;
    try {
      after = await this.#api.patch(
        structuredClone(sent),
        undefined,
        this.#dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        false,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      throw this.#error(error, manifest, 'apply');
    }
    let result: ApplyResult;
    if (!before) {
      result = 'created';
    } else if (
      after.metadata?.resourceVersion !== before.metadata?.resourceVersion
    ) {
      result = 'configured';
    } else if (this.#dryRun && comparable(after) !== comparable(before)) {
      result = 'configured';
    } else {
      result = 'unchanged';
    }
    return {
      apiVersion: manifest.apiVersion,
      kind: manifest.kind,
      name: manifest.metadata.name,
      namespace: manifest.metadata.namespace ?? manifest.metadata.name,
      result,
    };
  }

  /**
   * Creates the namespace with a plain create (POST), which never changes an existing one:
   * true if this call created it, false if it exists already (409 AlreadyExists: someone made
   * it since it was read). Unlike an apply, two tasks cannot both "create" it and the later
   * one silently rewrite what the first set.
   */
  async createNamespace(
    name: string,
    annotations: Record<string, string>,
  ): Promise<boolean> {
    const manifest: KubernetesManifest = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name, annotations },
    };
    try {
      await this.#api.create(
        structuredClone(manifest),
        undefined,
        this.#dryRun ? 'All' : undefined,
        FIELD_MANAGER,
      );
      return true;
    } catch (error) {
      if (httpCode(error) === 409) {
        return false;
      }
      throw this.#error(error, manifest, 'create');
    }
  }

  /** Whether the namespace exists. */
  async namespaceExists(namespace: string): Promise<boolean> {
    const manifest: KubernetesManifest = {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: namespace },
    };
    return (await this.read(manifest)) !== undefined;
  }
}
