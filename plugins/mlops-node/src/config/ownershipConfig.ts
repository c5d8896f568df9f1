import type { Config } from '@backstage/config';
import {
  canonicalOwnerRef,
  isDns1123Label,
} from '@mlstack/plugin-mlops-common';
import { configError } from './configReaders';

/**
 * The config key of the ownership settings shared by the backend and the scaffolder module.
 *
 * @public
 */
export const OWNERSHIP_CONFIG_KEY = 'mlops.ownership';

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * One entry of `mlops.ownership.namespaces`: existing Kubernetes namespaces without an
 * `mlstack.io/owner` annotation (made outside the portal) that belong to `owner`.
 *
 * @public
 */
export interface NamespaceOwnershipEntry {
  /** The owner as a full lower-case entity ref, e.g. `group:default/ml-team`. */
  owner: string;
  /** The cluster (a name of `mlops.kubernetes.clusters`); undefined: every cluster. */
  cluster?: string;
  /** Namespace names (exact, no patterns). */
  namespaces: string[];
}

/**
 * `mlops.ownership.namespaces`, validated: who owns the namespaces that carry no
 * `mlstack.io/owner` annotation. A namespace is listed for one owner per cluster at most.
 *
 * @public
 */
export class NamespaceOwnershipConfig {
  /** Reads `mlops.ownership.namespaces`; absent means no namespace is listed. */
  static fromConfig(config: Config): NamespaceOwnershipConfig {
    return new NamespaceOwnershipConfig(readNamespaceOwnership(config));
  }

  readonly entries: ReadonlyArray<NamespaceOwnershipEntry>;

  constructor(entries: NamespaceOwnershipEntry[]) {
    this.entries = entries;
  }

  /**
   * The owner configured for the namespace on the cluster (an entry for that cluster, or one
   * without a cluster), as a full lower-case entity ref; undefined when it is not listed.
   */
  ownerOf(cluster: string, namespace: string): string | undefined {
    return this.entries.find(
      e =>
        (e.cluster === undefined || e.cluster === cluster) &&
        e.namespaces.includes(namespace),
    )?.owner;
  }
}

/**
 * Reads and validates `mlops.ownership.namespaces`:
 *
 * ```yaml
 * mlops:
 *   ownership:
 *     namespaces:
 *       - owner: group:default/ml-team   # an entity ref; a ref without kind is a Group
 *         cluster: harness               # optional; every cluster when absent
 *         namespaces: [fraud-detection]
 * ```
 *
 * Throws an error naming the key for an owner that is not an entity ref, a namespace that is
 * not an RFC 1123 label, a bad cluster name, an empty list, or a namespace listed for two
 * different owners on the same cluster (an entry without cluster overlaps every cluster).
 */
export function readNamespaceOwnership(
  config: Config,
): NamespaceOwnershipEntry[] {
  const key = `${OWNERSHIP_CONFIG_KEY}.namespaces`;
  const configs =
    config
      .getOptionalConfig(OWNERSHIP_CONFIG_KEY)
      ?.getOptionalConfigArray('namespaces') ?? [];
  const entries: NamespaceOwnershipEntry[] = [];
  configs.forEach((entry, index) => {
    const entryKey = `${key}[${index}]`;
    const rawOwner = entry.getString('owner');
    const owner = canonicalOwnerRef(rawOwner);
    if (!owner) {
      throw configError(
        `${entryKey}.owner`,
        `'${rawOwner}' is not an entity ref like 'group:default/ml-team'`,
      );
    }
    const cluster = entry.getOptionalString('cluster');
    if (cluster !== undefined && !CLUSTER_NAME.test(cluster)) {
      throw configError(
        `${entryKey}.cluster`,
        `'${cluster}' is not a cluster name (letters, digits, '.', '_' and '-')`,
      );
    }
    const namespaces = entry.getStringArray('namespaces');
    if (namespaces.length === 0) {
      throw configError(
        `${entryKey}.namespaces`,
        'list at least one namespace, or leave the entry out',
      );
    }
    namespaces.forEach((namespace, n) => {
      if (!isDns1123Label(namespace)) {
        throw configError(
          `${entryKey}.namespaces[${n}]`,
          `'${namespace}' is not a Kubernetes namespace name (an RFC 1123 label)`,
        );
      }
      const clash = entries.findIndex(
        other =>
          other.owner !== owner &&
          (other.cluster === undefined ||
            cluster === undefined ||
            other.cluster === cluster) &&
          other.namespaces.includes(namespace),
      );
      if (clash >= 0) {
        throw configError(
          `${entryKey}.namespaces[${n}]`,
          `namespace '${namespace}' is already listed for ${entries[clash].owner} by ${key}[${clash}]; a namespace has one owner per cluster`,
        );
      }
    });
    entries.push({
      owner,
      ...(cluster !== undefined ? { cluster } : {}),
      namespaces,
    });
  });
  return entries;
}
