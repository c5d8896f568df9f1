import type { Config } from '@backstage/config';
import {
  DEPLOY_MODES,
  dns1123LabelProblem,
  isDns1123Subdomain,
  type DeployMode,
} from '@mlstack/plugin-mlops-common';
import { configError } from '../../config/configReaders';

/**
 * The config key of the places models may be deployed to.
 *
 * @public
 */
export const DEPLOY_TARGETS_CONFIG_KEY = 'mlops.deploy.targets';

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * One namespace a model may be deployed to, from one entry of `mlops.deploy.targets`.
 *
 * @public
 */
export interface ConfiguredDeployTarget {
  /** A name of `mlops.kubernetes.clusters`. */
  cluster: string;
  namespace: string;
  /** The modes allowed there, the first being the default (both when the entry names none). */
  modes: DeployMode[];
  /** The service account the predictor runs as (it holds the storage credentials). */
  serviceAccountName?: string;
  /**
   * The service accounts a deploy may ask for instead of the default (e.g. an entity's
   * `mlstack.io/kserve-service-account` annotation): `serviceAccountName` first when set, then
   * the entry's `serviceAccountNames`, without repeats. Empty when the entry names none.
   */
  serviceAccountNames: string[];
}

/**
 * Reads and validates `mlops.deploy.targets`, one result per namespace:
 *
 * ```yaml
 * mlops:
 *   deploy:
 *     targets:
 *       - cluster: harness                  # a name of mlops.kubernetes.clusters
 *         namespaces: [fraud-detection]
 *         modes: [Standard, Knative]        # optional; the first is the default
 *         serviceAccountName: kserve-models # optional: the default
 *         serviceAccountNames: [kserve-gpu]  # optional: others a deploy may ask for
 * ```
 *
 * Absent config allows no target. Throws an error naming the key for a bad cluster name, an
 * empty namespace list, a namespace that is not an RFC 1123 label, an unknown or repeated mode,
 * an empty mode list, a bad service account name (in `serviceAccountName` or
 * `serviceAccountNames`), or a namespace listed twice for a cluster.
 *
 * @public
 */
export function readDeployTargets(config: Config): ConfiguredDeployTarget[] {
  const key = DEPLOY_TARGETS_CONFIG_KEY;
  const configs =
    config
      .getOptionalConfig('mlops.deploy')
      ?.getOptionalConfigArray('targets') ?? [];
  const targets: Array<ConfiguredDeployTarget & { entry: number }> = [];
  configs.forEach((entry, index) => {
    const entryKey = `${key}[${index}]`;
    const cluster = entry.getString('cluster');
    if (!CLUSTER_NAME.test(cluster)) {
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
    const modes = readModes(entry, entryKey);
    const serviceAccountName = entry.getOptionalString('serviceAccountName');
    if (serviceAccountName !== undefined) {
      checkServiceAccountName(
        serviceAccountName,
        `${entryKey}.serviceAccountName`,
      );
    }
    const extraAccounts = entry.getOptionalStringArray('serviceAccountNames');
    extraAccounts?.forEach((name, a) =>
      checkServiceAccountName(name, `${entryKey}.serviceAccountNames[${a}]`),
    );
    const serviceAccountNames = [
      ...new Set([
        ...(serviceAccountName !== undefined ? [serviceAccountName] : []),
        ...(extraAccounts ?? []),
      ]),
    ];
    namespaces.forEach((namespace, n) => {
      const problem = dns1123LabelProblem(namespace);
      if (problem) {
        throw configError(
          `${entryKey}.namespaces[${n}]`,
          `'${namespace}' is not a Kubernetes namespace name: it ${problem}`,
        );
      }
      const earlier = targets.find(
        t => t.cluster === cluster && t.namespace === namespace,
      );
      if (earlier) {
        throw configError(
          `${entryKey}.namespaces[${n}]`,
          `namespace '${namespace}' of cluster '${cluster}' is already listed by ${key}[${earlier.entry}]`,
        );
      }
      targets.push({
        entry: index,
        cluster,
        namespace,
        modes: [...modes],
        ...(serviceAccountName !== undefined ? { serviceAccountName } : {}),
        serviceAccountNames: [...serviceAccountNames],
      });
    });
  });
  return targets.map(({ entry: _entry, ...target }) => target);
}

function checkServiceAccountName(name: string, key: string): void {
  if (!isDns1123Subdomain(name)) {
    throw configError(
      key,
      `'${name}' is not a service account name (a DNS-1123 subdomain)`,
    );
  }
}

function readModes(entry: Config, entryKey: string): DeployMode[] {
  const raw = entry.getOptionalStringArray('modes');
  if (raw === undefined) {
    return [...DEPLOY_MODES];
  }
  if (raw.length === 0) {
    throw configError(
      `${entryKey}.modes`,
      `list at least one of ${DEPLOY_MODES.join(
        ', ',
      )}, or leave the key out to allow both`,
    );
  }
  const modes: DeployMode[] = [];
  raw.forEach((mode, m) => {
    if (!(DEPLOY_MODES as readonly string[]).includes(mode)) {
      throw configError(
        `${entryKey}.modes[${m}]`,
        `'${mode}' is not a deploy mode; use ${DEPLOY_MODES.join(' or ')}`,
      );
    }
    if (modes.includes(mode as DeployMode)) {
      throw configError(`${entryKey}.modes[${m}]`, `'${mode}' is listed twice`);
    }
    modes.push(mode as DeployMode);
  });
  return modes;
}
