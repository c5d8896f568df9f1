// Over 300 lines: one cluster's calls (custom objects: list, get, create, apply, delete, patch,
// replace; events, pods, logs, namespaces) around its one request path (#call: timeout, abort,
// error mapping). The calls are short; the request path is what they share.
import {
  type ApiConstructor,
  type ApiType,
  type ConfigurationOptions,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  Observable,
  type ObservableMiddleware,
  type Middleware as PromiseMiddleware,
  PatchStrategy,
  ServerConfiguration,
  createConfiguration,
  setHeaderOptions,
} from '@kubernetes/client-node';
import { InputError } from '@backstage/errors';
import type { CustomResourceType } from './customResources';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  kubernetesTimeoutError,
  retryAfterMs,
  toKubernetesError,
} from './kubernetesErrors';
import { PlainObject, numberAt, objectAt, stringAt } from './objects';

/**
 * How the backend reaches a cluster.
 *
 * @public
 */
export type KubernetesClusterSource = 'config' | 'kubeconfig' | 'in-cluster';

/**
 * Options of a list of custom objects.
 *
 * @public
 */
export interface CustomObjectListOptions {
  labelSelector?: string;
  /** Page size; the API server may return fewer. */
  limit?: number;
  /** `metadata.continue` of the previous page. */
  continueToken?: string;
  /** Aborts the request (the call then rejects with the signal's reason). */
  signal?: AbortSignal;
}

/** How long a Kubernetes API call may take, unless configured (`mlops.kubernetes.requestTimeout`). */
export const DEFAULT_KUBERNETES_REQUEST_TIMEOUT_MS = 5_000;

/**
 * How many times a call is made in all when the API server keeps answering 429 + Retry-After
 * (client-go's limit); the waits also stay within the call's request timeout.
 */
const MAX_ATTEMPTS_ON_RETRY_AFTER = 10;

/**
 * Options of a KubernetesCluster.
 *
 * @public
 */
export interface KubernetesClusterOptions {
  /**
   * The most a call may take, from sending the request to the end of the answer; then it is
   * aborted and fails with a ServiceUnavailableError (504) naming the cluster and the timeout.
   */
  requestTimeoutMs?: number;
}

/**
 * Options of the writes that record who made them.
 *
 * @public
 */
export interface WriteOptions {
  /** The field manager the write is recorded under (`managedFields`). */
  fieldManager?: string;
  /** Validate and admit, but store nothing (`dryRun=All`). */
  dryRun?: boolean;
}

/**
 * One page of a list of custom objects.
 *
 * @public
 */
export interface CustomObjectPage {
  /** The objects as the API server sent them (plain JSON). */
  items: unknown[];
  /** Pass as continueToken for the next page; absent on the last one. */
  continueToken?: string;
  /** The API server's estimate of the objects after this page, when it gives one. */
  remainingItemCount?: number;
  /** The list's `metadata.resourceVersion` (to watch from), when the API server sends it. */
  resourceVersion?: string;
}

/** The reason of an aborted signal, as an Error. */
function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error
    ? reason
    : new DOMException('The operation was aborted', 'AbortError');
}

/**
 * One configured cluster: its KubeConfig, and the few custom-object calls the Argo Workflows
 * and KServe views make. Every failure is a Backstage error (see toKubernetesError). Every
 * call made through its API clients (customObjectsApi, coreApi) is aborted after
 * `requestTimeoutMs`; watches (see the backend's watchStream) use it as their connect timeout.
 *
 * @public
 */
export class KubernetesCluster {
  readonly name: string;
  readonly source: KubernetesClusterSource;
  /** A KubeConfig whose current context is this cluster. */
  readonly kubeConfig: KubeConfig;
  /** The most a call may take (see KubernetesClusterOptions). */
  readonly requestTimeoutMs: number;
  #customObjects?: CustomObjectsApi;
  #core?: CoreV1Api;

  constructor(
    name: string,
    source: KubernetesClusterSource,
    kubeConfig: KubeConfig,
    options: KubernetesClusterOptions = {},
  ) {
    this.name = name;
    this.source = source;
    this.kubeConfig = kubeConfig;
    this.requestTimeoutMs =
      options.requestTimeoutMs ?? DEFAULT_KUBERNETES_REQUEST_TIMEOUT_MS;
  }

  /** The API server URL. */
  get server(): string | undefined {
    return this.kubeConfig.getCurrentCluster()?.server;
  }

  /** The namespace of the kubeconfig context (or of the pod, in-cluster), if it names one. */
  get defaultNamespace(): string | undefined {
    const context = this.kubeConfig.getContextObject(
      this.kubeConfig.getCurrentContext(),
    );
    return context?.namespace?.trim() || undefined;
  }

  customObjectsApi(): CustomObjectsApi {
    this.#customObjects ??= this.#makeApiClient(CustomObjectsApi);
    return this.#customObjects;
  }

  coreApi(): CoreV1Api {
    this.#core ??= this.#makeApiClient(CoreV1Api);
    return this.#core;
  }

  /**
   * As KubeConfig.makeApiClient, with a middleware that gives each request an AbortSignal
   * that fires after requestTimeoutMs (joined with a signal a call already set).
   */
  #makeApiClient<T extends ApiType>(Api: ApiConstructor<T>): T {
    const server = this.server;
    if (!server) {
      throw new Error(`Kubernetes cluster '${this.name}' has no server URL`);
    }
    const timeoutMs = this.requestTimeoutMs;
    const timeout: PromiseMiddleware = {
      pre: async context => {
        const deadline = AbortSignal.timeout(timeoutMs);
        const signal = context.getSignal();
        context.setSignal(
          signal ? AbortSignal.any([signal, deadline]) : deadline,
        );
        return context;
      },
      post: async context => context,
    };
    return new Api(
      createConfiguration({
        baseServer: new ServerConfiguration(server, {}),
        authMethods: { default: this.kubeConfig },
        promiseMiddleware: [timeout],
      }),
    );
  }

  /**
   * Runs a request and turns its failure into a Backstage error. An abort is a timeout
   * (kubernetesTimeoutError) unless `signal` (the caller's) fired: then its reason is thrown.
   * A 429 with Retry-After is sent again after that wait, within the request timeout for the
   * whole call (and up to MAX_ATTEMPTS_ON_RETRY_AFTER attempts).
   */
  async #call<T>(
    action: string,
    request: (options?: ConfigurationOptions) => Promise<T>,
    signal?: AbortSignal,
  ): Promise<T> {
    signal?.throwIfAborted();
    // The whole call, retries included, ends by the request timeout: the first attempt is
    // bounded by the request's own timeout, a later one by what is left of it.
    const retryUntil = Date.now() + this.requestTimeoutMs;
    for (let attempt = 1; ; attempt++) {
      const rest =
        attempt === 1
          ? undefined
          : AbortSignal.timeout(Math.max(1, retryUntil - Date.now()));
      const callSignal =
        rest && signal ? AbortSignal.any([signal, rest]) : rest ?? signal;
      try {
        return await request(
          callSignal ? this.#withSignal(callSignal) : undefined,
        );
      } catch (error) {
        if (rest?.aborted && !signal?.aborted) {
          throw kubernetesTimeoutError(
            this.name,
            action,
            this.requestTimeoutMs,
          );
        }
        // A 429 with Retry-After was not acted on by the API server: safe to send again,
        // writes included (client-go does the same).
        const waitMs = retryAfterMs(error);
        if (
          waitMs === undefined ||
          attempt >= MAX_ATTEMPTS_ON_RETRY_AFTER ||
          Date.now() + waitMs > retryUntil
        ) {
          throw this.#toError(error, action, signal);
        }
        await sleep(waitMs, undefined, { signal }).catch(() => {
          throw this.#toError(error, action, signal);
        });
      }
    }
  }

  #toError(error: unknown, action: string, signal?: AbortSignal): Error {
    if (signal?.aborted) {
      return abortReason(signal);
    }
    if ((error as { name?: unknown } | null)?.name === 'AbortError') {
      return kubernetesTimeoutError(this.name, action, this.requestTimeoutMs);
    }
    return toKubernetesError(error, this.name, action);
  }

  /** Per-call options that join the caller's signal to the request's own. */
  #withSignal(signal: AbortSignal): ConfigurationOptions {
    const join: ObservableMiddleware = {
      pre: context => {
        const own = context.getSignal();
        context.setSignal(own ? AbortSignal.any([own, signal]) : signal);
        return new Observable(Promise.resolve(context));
      },
      post: context => new Observable(Promise.resolve(context)),
    };
    return { middleware: [join], middlewareMergeStrategy: 'append' };
  }

  /**
   * Lists objects of a type in a namespace; without a namespace (or for a cluster-scoped
   * type), across the cluster.
   */
  async listCustomObjects(
    type: CustomResourceType,
    namespace: string | undefined,
    options: CustomObjectListOptions = {},
  ): Promise<CustomObjectPage> {
    const params = {
      group: type.group,
      version: type.version,
      plural: type.plural,
      labelSelector: options.labelSelector,
      limit: options.limit,
      _continue: options.continueToken,
    };
    const api = this.customObjectsApi();
    const list: unknown = await this.#call(
      `list ${type.plural}${namespace ? ` in '${namespace}'` : ''}`,
      callOptions =>
        type.namespaced && namespace
          ? api.listNamespacedCustomObject(
              { ...params, namespace },
              callOptions,
            )
          : api.listClusterCustomObject(params, callOptions),
      options.signal,
    );
    const body = objectAt(list);
    const listMetadata = objectAt(body.metadata);
    const continueToken = stringAt(listMetadata.continue);
    const remainingItemCount = numberAt(listMetadata.remainingItemCount);
    const resourceVersion = stringAt(listMetadata.resourceVersion);
    const items = Array.isArray(body.items) ? body.items : [];
    const page: CustomObjectPage = { items };
    if (resourceVersion) {
      page.resourceVersion = resourceVersion;
    }
    if (continueToken) {
      page.continueToken = continueToken;
      if (remainingItemCount !== undefined) {
        page.remainingItemCount = remainingItemCount;
      }
    }
    return page;
  }

  /** Reads one object; a namespaced type needs the namespace. */
  async getCustomObject(
    type: CustomResourceType,
    namespace: string | undefined,
    name: string,
  ): Promise<unknown> {
    if (type.namespaced && !namespace) {
      throw new InputError(
        `A namespace is needed to read ${type.kind} '${name}'`,
      );
    }
    const api = this.customObjectsApi();
    const base = {
      group: type.group,
      version: type.version,
      plural: type.plural,
      name,
    };
    return this.#call(`get ${type.kind} '${name}'`, () =>
      namespace && type.namespaced
        ? api.getNamespacedCustomObject({ ...base, namespace })
        : api.getClusterCustomObject(base),
    );
  }

  /**
   * Creates an object (POST); `generateName` is honoured. Returns what the server stored (or
   * would store, with `dryRun`). Unknown fields are refused (`fieldValidation=Strict`) when a
   * field manager is named.
   */
  async createCustomObject(
    type: CustomResourceType,
    namespace: string,
    body: object,
    options: WriteOptions = {},
  ): Promise<unknown> {
    const api = this.customObjectsApi();
    return this.#call(`create ${type.kind} in '${namespace}'`, () =>
      api.createNamespacedCustomObject({
        group: type.group,
        version: type.version,
        plural: type.plural,
        namespace,
        body,
        ...(options.fieldManager
          ? { fieldManager: options.fieldManager, fieldValidation: 'Strict' }
          : {}),
        ...(options.dryRun ? { dryRun: 'All' } : {}),
      }),
    );
  }

  /**
   * Server-side apply (`application/apply-patch+yaml`) as `fieldManager`, with strict field
   * validation. With `force`, fields other managers hold are taken over; a
   * `metadata.resourceVersion` in the body makes the apply fail with a ConflictError when the
   * object moved on since it was read.
   */
  async applyCustomObject(
    type: CustomResourceType,
    namespace: string,
    name: string,
    body: PlainObject,
    options: WriteOptions & { fieldManager: string; force?: boolean },
  ): Promise<unknown> {
    const api = this.customObjectsApi();
    return this.#call(`apply ${type.kind} '${name}'`, () =>
      api.patchNamespacedCustomObject(
        {
          group: type.group,
          version: type.version,
          plural: type.plural,
          namespace,
          name,
          body,
          fieldManager: options.fieldManager,
          fieldValidation: 'Strict',
          force: options.force,
          ...(options.dryRun ? { dryRun: 'All' } : {}),
        },
        setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply),
      ),
    );
  }

  /**
   * Deletes an object; with `resourceVersion`, only that version of it (else ConflictError).
   * Returns what the server answered (the object, or a Status).
   */
  async deleteCustomObject(
    type: CustomResourceType,
    namespace: string,
    name: string,
    options: { resourceVersion?: string; dryRun?: boolean } = {},
  ): Promise<unknown> {
    const api = this.customObjectsApi();
    return this.#call(`delete ${type.kind} '${name}'`, () =>
      api.deleteNamespacedCustomObject({
        group: type.group,
        version: type.version,
        plural: type.plural,
        namespace,
        name,
        propagationPolicy: 'Background',
        ...(options.dryRun ? { dryRun: 'All' } : {}),
        body: {
          ...(options.resourceVersion
            ? { preconditions: { resourceVersion: options.resourceVersion } }
            : {}),
          ...(options.dryRun ? { dryRun: ['All'] } : {}),
        },
      }),
    );
  }

  /** Applies a JSON merge patch (`application/merge-patch+json`). */
  async mergePatchCustomObject(
    type: CustomResourceType,
    namespace: string,
    name: string,
    patch: object,
  ): Promise<unknown> {
    const api = this.customObjectsApi();
    return this.#call(`patch ${type.kind} '${name}'`, () =>
      api.patchNamespacedCustomObject(
        {
          group: type.group,
          version: type.version,
          plural: type.plural,
          namespace,
          name,
          body: patch,
        },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      ),
    );
  }

  /**
   * Replaces an object (PUT): it becomes exactly the body. Keep `metadata.resourceVersion` in
   * the body: a concurrent change then fails the call with a ConflictError. With a field
   * manager, unknown fields are refused (`fieldValidation=Strict`).
   */
  async replaceCustomObject(
    type: CustomResourceType,
    namespace: string,
    name: string,
    body: PlainObject,
    options: WriteOptions = {},
  ): Promise<unknown> {
    const api = this.customObjectsApi();
    return this.#call(`replace ${type.kind} '${name}'`, () =>
      api.replaceNamespacedCustomObject({
        group: type.group,
        version: type.version,
        plural: type.plural,
        namespace,
        name,
        body,
        ...(options.fieldManager
          ? { fieldManager: options.fieldManager, fieldValidation: 'Strict' }
          : {}),
        ...(options.dryRun ? { dryRun: 'All' } : {}),
      }),
    );
  }

  /**
   * The events of a namespace (core/v1, one page of up to `limit`), optionally only those about
   * objects of one kind (`involvedObject.kind`).
   */
  async listEvents(
    namespace: string,
    options: { involvedKind?: string; limit?: number } = {},
  ): Promise<unknown[]> {
    const api = this.coreApi();
    const list: unknown = await this.#call(
      `list events in '${namespace}'`,
      () =>
        api.listNamespacedEvent({
          namespace,
          limit: options.limit ?? 500,
          ...(options.involvedKind
            ? { fieldSelector: `involvedObject.kind=${options.involvedKind}` }
            : {}),
        }),
    );
    const items = objectAt(list).items;
    return Array.isArray(items) ? items : [];
  }

  /** Lists the pods matching a label selector in a namespace (plain JSON, one page of up to 500). */
  async listPods(namespace: string, labelSelector: string): Promise<unknown[]> {
    const api = this.coreApi();
    const list: unknown = await this.#call(`list pods in '${namespace}'`, () =>
      api.listNamespacedPod({ namespace, labelSelector, limit: 500 }),
    );
    const items = objectAt(list).items;
    return Array.isArray(items) ? items : [];
  }

  /**
   * The log of a pod's container: the last `tailLines` lines, at most `limitBytes`. Undefined
   * when the API server has no log to give (204 No Content: the pod is not on a node yet). A
   * pod that does not exist is a NotFoundError; a container that has not started is an
   * InputError (the API server answers 400).
   */
  async readPodLog(
    namespace: string,
    name: string,
    options: { container: string; tailLines?: number; limitBytes?: number },
  ): Promise<string | undefined> {
    const api = this.coreApi();
    let noContent = false;
    // The generated client cannot parse a 204 (it has no Content-Type): read it as no text.
    const noContentAsText: ObservableMiddleware = {
      pre: context => new Observable(Promise.resolve(context)),
      post: context => {
        if (context.httpStatusCode === 204) {
          noContent = true;
          context.headers['content-type'] = 'text/plain';
        }
        return new Observable(Promise.resolve(context));
      },
    };
    const text: unknown = await this.#call(
      `read the log of container '${options.container}' of pod '${name}'`,
      () =>
        api.readNamespacedPodLog(
          {
            namespace,
            name,
            container: options.container,
            tailLines: options.tailLines,
            limitBytes: options.limitBytes,
          },
          { middleware: [noContentAsText], middlewareMergeStrategy: 'append' },
        ),
    );
    if (noContent) {
      return undefined;
    }
    return typeof text === 'string' ? text : '';
  }

  /** Deletes a pod; false if it was already gone. */
  async deletePod(namespace: string, name: string): Promise<boolean> {
    try {
      await this.coreApi().deleteNamespacedPod({ namespace, name });
      return true;
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) {
        return false;
      }
      throw this.#toError(error, `delete pod '${name}'`);
    }
  }

  /** The labels and annotations of a namespace; undefined when it does not exist. */
  async readNamespaceMetadata(name: string): Promise<
    | {
        labels: Record<string, string>;
        annotations: Record<string, string>;
      }
    | undefined
  > {
    try {
      const namespace = await this.coreApi().readNamespace({ name });
      return {
        labels: namespace.metadata?.labels ?? {},
        annotations: namespace.metadata?.annotations ?? {},
      };
    } catch (error) {
      if ((error as { code?: unknown }).code === 404) {
        return undefined;
      }
      throw this.#toError(error, `read namespace '${name}'`);
    }
  }
}
