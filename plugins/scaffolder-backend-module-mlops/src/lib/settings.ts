import type { Config } from '@backstage/config';
import { configError } from '@mlstack/plugin-mlops-node';
import { isDns1123Subdomain } from '@mlstack/plugin-mlops-common';

export const SCAFFOLDER_CONFIG_KEY = 'mlops.scaffolder';
export const APPLY_CONFIG_KEY = `${SCAFFOLDER_CONFIG_KEY}.kubernetesApply`;

/** One entry of `mlops.scaffolder.kubernetesApply.namespaces`. */
export interface NamespaceRule {
  /** A cluster name; undefined: every cluster. */
  cluster?: string;
  /** Glob patterns (`*`: any run of characters) as given, for messages. */
  patterns: string[];
  /** The patterns as anchored regular expressions. */
  matchers: RegExp[];
}

/** `mlops.scaffolder`, validated. */
export interface ScaffolderSettings {
  /**
   * Whether a task started by a service (no user, e.g. a scheduled or API-driven task) may
   * claim buckets, experiments and namespaces for any owner. `false` by default.
   */
  allowServiceInitiators: boolean;
  kubernetesApply: {
    /** Where `mlops:kubernetes:apply` may write; undefined: not configured, nowhere. */
    namespaces?: NamespaceRule[];
    /** Secret types allowed besides `Opaque`. */
    secretTypes: string[];
    /** Existing ServiceAccounts a manifest may name without creating them in the same apply. */
    serviceAccounts: string[];
  };
}

const CLUSTER_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const NAMESPACE_PATTERN = /^[a-z0-9*]([-a-z0-9*]*[a-z0-9*])?$/;
/** A Secret type: `Opaque`, `kubernetes.io/tls`, `example.com/my-type`, ... */
const SECRET_TYPE = /^[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?$/;

/** A glob with `*` as its only wildcard, as an anchored regular expression. */
export function globToRegExp(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegExp).join('.*')}$`);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function readNamespaceRules(
  apply: Config | undefined,
): NamespaceRule[] | undefined {
  const key = `${APPLY_CONFIG_KEY}.namespaces`;
  const entries = apply?.getOptionalConfigArray('namespaces');
  if (entries === undefined) {
    return undefined;
  }
  return entries.map((entry, index) => {
    const entryKey = `${key}[${index}]`;
    const cluster = entry.getOptionalString('cluster');
    if (cluster !== undefined && !CLUSTER_NAME.test(cluster)) {
      throw configError(
        `${entryKey}.cluster`,
        `'${cluster}' is not a cluster name (letters, digits, '.', '_' and '-')`,
      );
    }
    const patterns = entry.getStringArray('patterns');
    if (patterns.length === 0) {
      throw configError(
        `${entryKey}.patterns`,
        'list at least one namespace pattern, or leave the entry out',
      );
    }
    patterns.forEach((pattern, p) => {
      if (pattern.length > 63 || !NAMESPACE_PATTERN.test(pattern)) {
        throw configError(
          `${entryKey}.patterns[${p}]`,
          `'${pattern}' is not a namespace pattern: lower-case letters, digits, '-' and '*' (any characters)`,
        );
      }
    });
    return {
      ...(cluster !== undefined ? { cluster } : {}),
      patterns,
      matchers: patterns.map(globToRegExp),
    };
  });
}

/**
 * Reads and validates `mlops.scaffolder`; an invalid value is an error naming its key (the
 * backend does not start).
 */
export function readScaffolderSettings(config: Config): ScaffolderSettings {
  const scaffolder = config.getOptionalConfig(SCAFFOLDER_CONFIG_KEY);
  const apply = scaffolder?.getOptionalConfig('kubernetesApply');
  const secretTypes = apply?.getOptionalStringArray('secretTypes') ?? [];
  secretTypes.forEach((type, index) => {
    if (!SECRET_TYPE.test(type) || type.length > 253) {
      throw configError(
        `${APPLY_CONFIG_KEY}.secretTypes[${index}]`,
        `'${type}' is not a Secret type such as 'kubernetes.io/tls'`,
      );
    }
  });
  const serviceAccounts =
    apply?.getOptionalStringArray('serviceAccounts') ?? [];
  serviceAccounts.forEach((name, index) => {
    if (!isDns1123Subdomain(name)) {
      throw configError(
        `${APPLY_CONFIG_KEY}.serviceAccounts[${index}]`,
        `'${name}' is not a ServiceAccount name`,
      );
    }
  });
  return {
    allowServiceInitiators:
      scaffolder?.getOptionalBoolean('allowServiceInitiators') ?? false,
    kubernetesApply: {
      namespaces: readNamespaceRules(apply),
      secretTypes,
      serviceAccounts,
    },
  };
}

/** The settings with nothing configured: no service initiators, no namespace allowed. */
export const DEFAULT_SCAFFOLDER_SETTINGS: ScaffolderSettings = {
  allowServiceInitiators: false,
  kubernetesApply: { secretTypes: [], serviceAccounts: [] },
};
