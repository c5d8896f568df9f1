import * as k8s from '@kubernetes/client-node';
import { OWNER_KEY } from '@mlstack/plugin-mlops-common';
import type { KubeObject } from '../upstreamRelabel';

/** A custom resource's API group and version. */
export interface CustomApi {
  group: string;
  version: string;
}

export const ARGO: CustomApi = { group: 'argoproj.io', version: 'v1alpha1' };
export const KSERVE: CustomApi = {
  group: 'serving.kserve.io',
  version: 'v1beta1',
};

/** Whether a Kubernetes client error is an answer of that HTTP status. */
export function isStatus(error: unknown, code: number): boolean {
  const e = error as {
    code?: number;
    statusCode?: number;
    response?: { statusCode?: number };
  } | null;
  return (
    e?.code === code ||
    e?.statusCode === code ||
    e?.response?.statusCode === code
  );
}

/** The message of a Kubernetes Status answer, else the error's own. */
export function kubeErrorMessage(error: unknown): string {
  const e = error as { message?: string; body?: unknown } | null;
  let message = e?.message ?? String(error);
  try {
    const body = typeof e?.body === 'string' ? JSON.parse(e.body) : e?.body;
    message = body?.message ?? message;
  } catch {
    // not a Kubernetes Status body
  }
  return message;
}

/** Writes objects into one namespace of a cluster, replacing those of the same name. */
export class SeedCluster {
  private readonly core: k8s.CoreV1Api;
  private readonly custom: k8s.CustomObjectsApi;

  constructor(
    kubeconfig: string,
    context: string | undefined,
    readonly namespace: string,
    private readonly log: (message: string) => void,
  ) {
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(kubeconfig);
    if (context) {
      kc.setCurrentContext(context);
    }
    this.core = kc.makeApiClient(k8s.CoreV1Api);
    this.custom = kc.makeApiClient(k8s.CustomObjectsApi);
  }

  /** Creates the namespace (with `labels`) owned by `owner`, or makes an existing one owned by `owner`. */
  async ensureOwnedNamespace(
    owner: string,
    labels: Record<string, string>,
  ): Promise<void> {
    const name = this.namespace;
    let existing: k8s.V1Namespace;
    try {
      existing = await this.core.readNamespace({ name });
    } catch (e) {
      if (!isStatus(e, 404)) throw e;
      await this.core.createNamespace({
        body: {
          metadata: {
            name,
            labels,
            annotations: { [OWNER_KEY]: owner },
          },
        },
      });
      this.log(`created namespace ${name} owned by ${owner}`);
      return;
    }
    const metadata = existing.metadata ?? {};
    if (metadata.annotations?.[OWNER_KEY] !== owner) {
      existing.metadata = {
        ...metadata,
        annotations: { ...metadata.annotations, [OWNER_KEY]: owner },
      };
      await this.core.replaceNamespace({ name, body: existing });
      this.log(`namespace ${name} now owned by ${owner}`);
    }
  }

  /**
   * Creates the object, replacing one of the same name; writes its status through the status
   * subresource when `statusSubresource` (the API server ignores a status created with the
   * object then).
   */
  async replaceCustomObject(
    api: CustomApi,
    plural: string,
    object: KubeObject,
    { statusSubresource = false } = {},
  ): Promise<KubeObject> {
    const name: string = object.metadata.name;
    const ref = { ...api, namespace: this.namespace, plural, name };
    await this.deleteAndWait(ref);
    const { status, ...withoutStatus } = object;
    let created: KubeObject = await this.custom.createNamespacedCustomObject({
      ...api,
      namespace: this.namespace,
      plural,
      body: statusSubresource ? withoutStatus : object,
    });
    if (statusSubresource && status) {
      created = await this.custom.replaceNamespacedCustomObjectStatus({
        ...ref,
        body: { ...created, status },
      });
    }
    this.log(`created ${plural}/${name}`);
    return created;
  }

  /** Deletes the object, if there, and waits (up to 5 s) until it is gone. */
  private async deleteAndWait(
    ref: CustomApi & { namespace: string; plural: string; name: string },
  ): Promise<void> {
    try {
      await this.custom.deleteNamespacedCustomObject(ref);
    } catch (e) {
      if (isStatus(e, 404)) return;
      throw e;
    }
    for (let i = 0; i < 50; i++) {
      try {
        await this.custom.getNamespacedCustomObject(ref);
      } catch (e) {
        if (isStatus(e, 404)) return;
        throw e;
      }
      await new Promise(r => setTimeout(r, 100));
    }
  }
}
