import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { NotAllowedError } from '@backstage/errors';
import {
  canonicalOwnerRef,
  OWNER_KEY,
  ownerOfEntity,
} from '@mlstack/plugin-mlops-common';
import type {
  KubernetesCluster,
  NamespaceOwnershipConfig,
} from '@mlstack/plugin-mlops-node';
import { BoundedMap } from '../mlflow/BoundedMap';

/** How long a namespace's owner annotation is kept before it is read again. */
const OWNER_TTL_MS = 30_000;

/**
 * Binds an entity's Kubernetes scope to its owner: a namespace is usable by an entity when
 * `mlops.ownership.namespaces` lists it for the entity's owner, or when the namespace carries
 * the `mlstack.io/owner` annotation (written by `mlops:kubernetes:apply` when it creates it)
 * naming that owner. Anything else is refused with a 403 naming the namespace, the owner found
 * and the owner expected, so an entity cannot point its annotations at another team's
 * namespace. A namespace that does not exist is refused with the same text as one without an
 * owner, so the answer does not tell which namespaces exist.
 */
export class NamespaceOwnership {
  private readonly owners = new BoundedMap<
    string,
    { owner: string | undefined; expiresAt: number }
  >(1_000);

  constructor(
    private readonly deps: {
      config: NamespaceOwnershipConfig;
      now?: () => number;
    },
  ) {}

  async assertUsable(
    entity: Entity,
    cluster: KubernetesCluster,
    namespace: string,
  ): Promise<void> {
    const entityRef = stringifyEntityRef(entity);
    const expected = ownerOfEntity(entity);
    const where = `Namespace '${namespace}' on cluster '${cluster.name}'`;
    if (!expected) {
      throw new NotAllowedError(
        `${where} is not usable by ${entityRef}: the entity has no owner (spec.owner)`,
      );
    }
    const configured = this.deps.config.ownerOf(cluster.name, namespace);
    if (configured) {
      if (configured === expected) {
        return;
      }
      throw new NotAllowedError(
        `${where} is not usable by ${entityRef}: mlops.ownership.namespaces lists it for ${configured}, and the entity's owner is ${expected}`,
      );
    }
    const found = await this.annotatedOwner(cluster, namespace);
    if (found === expected) {
      return;
    }
    throw new NotAllowedError(
      found
        ? `${where} is not usable by ${entityRef}: its ${OWNER_KEY} annotation names ${found}, and the entity's owner is ${expected}`
        : `${where} is not usable by ${entityRef}: it has no ${OWNER_KEY} annotation and mlops.ownership.namespaces does not list it; expected owner ${expected}`,
    );
  }

  private async annotatedOwner(
    cluster: KubernetesCluster,
    namespace: string,
  ): Promise<string | undefined> {
    const now = (this.deps.now ?? Date.now)();
    const key = `${cluster.name}\u0000${namespace}`;
    const kept = this.owners.get(key);
    if (kept && kept.expiresAt > now) {
      return kept.owner;
    }
    const metadata = await cluster.readNamespaceMetadata(namespace);
    const value = metadata?.annotations[OWNER_KEY];
    const owner = value ? canonicalOwnerRef(value) ?? value : undefined;
    this.owners.set(key, { owner, expiresAt: now + OWNER_TTL_MS });
    return owner;
  }
}
