import type { Config } from '@backstage/config';

/** Validation shared by the `mlops.*` config readers; every error names the config key. */

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * An error for an invalid config value, naming its key: `Invalid config at '<key>': <problem>`.
 *
 * @public
 */
export function configError(key: string, problem: string): Error {
  return new Error(`Invalid config at '${key}': ${problem}`);
}

/** A `name` that can be used in annotations and URLs. */
export function readConfigName(config: Config, key: string): string {
  const name = config.getString('name');
  if (!NAME_PATTERN.test(name)) {
    throw configError(
      `${key}.name`,
      `'${name}' must start with a letter or digit and contain only letters, digits, '.', '_' and '-'`,
    );
  }
  return name;
}

/**
 * An http(s) URL without credentials (`credentialsHint` says where they go instead), query or
 * fragment, with trailing slashes removed.
 *
 * @public
 */
export function readServiceUrl(
  value: string,
  key: string,
  credentialsHint: string,
): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw configError(key, `'${value}' is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(key, `'${value}' must be an http:// or https:// URL`);
  }
  if (url.username || url.password) {
    throw configError(
      key,
      `the URL must not carry credentials; use ${credentialsHint} instead`,
    );
  }
  if (url.search || url.hash) {
    throw configError(key, `'${value}' must not have a query or a fragment`);
  }
  return value.replace(/\/+$/, '');
}

/**
 * Reads a non-empty list of named entries (instances, clusters), refusing a name used twice.
 * `emptyHint` says what to do instead of an empty list.
 */
export function readNamedList<T extends { name: string }>(
  configs: Config[],
  key: string,
  emptyHint: string,
  readOne: (entry: Config, entryKey: string) => T,
): T[] {
  if (configs.length === 0) {
    throw configError(key, emptyHint);
  }
  const entries: T[] = [];
  configs.forEach((config, index) => {
    const entryKey = `${key}[${index}]`;
    const entry = readOne(config, entryKey);
    const earlier = entries.findIndex(e => e.name === entry.name);
    if (earlier >= 0) {
      throw configError(
        `${entryKey}.name`,
        `the name '${entry.name}' is already used by ${key}[${earlier}]`,
      );
    }
    entries.push(entry);
  });
  return entries;
}
