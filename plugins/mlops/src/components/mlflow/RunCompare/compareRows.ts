export interface CompareRow<T> {
  key: string;
  /** One value per run, in run order; undefined where the run lacks the key. */
  values: Array<T | undefined>;
  /** True when the runs do not all have the same value (a missing value counts). */
  differs: boolean;
}

/** Lines up a keyed record of each run, one row per key, keys sorted. */
export function compareRows<T>(
  records: Array<Record<string, T>>,
): CompareRow<T>[] {
  const keys = Array.from(new Set(records.flatMap(r => Object.keys(r)))).sort(
    (a, b) => a.localeCompare(b),
  );
  return keys.map(key => {
    const values = records.map(r =>
      Object.prototype.hasOwnProperty.call(r, key) ? r[key] : undefined,
    );
    const differs = values.some(v => v !== values[0]);
    return { key, values, differs };
  });
}
