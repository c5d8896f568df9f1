/**
 * The result of one upstream read, as the lineage takes it: the value, the object not being
 * there (or not the entity's: the same to the caller), or the upstream failing with its error.
 *
 * @public
 */
export type Fetched<T> = { value: T } | { missing: true } | { error: string };

/**
 * Whether an upstream read gave a value (not missing, not failed).
 *
 * @public
 */
export function isValue<T>(
  fetched: Fetched<T> | undefined,
): fetched is { value: T } {
  return fetched !== undefined && 'value' in fetched;
}
