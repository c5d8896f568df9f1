/** What a runs table column sorts by, in MLflow's `order_by` vocabulary. */
export type RunSortField =
  | { type: 'attribute'; key: 'start_time' | 'end_time' | 'run_name' }
  | { type: 'metric'; key: string }
  | { type: 'param'; key: string };

export type SortDirection = 'ASC' | 'DESC';

export interface RunSort {
  field: RunSortField;
  direction: SortDirection;
}

export const DEFAULT_RUN_SORT: RunSort = {
  field: { type: 'attribute', key: 'start_time' },
  direction: 'DESC',
};

/** Quotes a metric or param key the way MLflow's search grammar accepts any key. */
function quoteKey(key: string): string {
  return `\`${key.replace(/`/g, '')}\``;
}

/**
 * The MLflow order clause of a sort: `attributes.start_time DESC`,
 * `metrics.\`accuracy\` DESC`, `params.\`lr\` ASC`.
 */
export function toOrderByClause(sort: RunSort): string {
  const { field, direction } = sort;
  switch (field.type) {
    case 'attribute':
      return `attributes.${field.key} ${direction}`;
    case 'metric':
      return `metrics.${quoteKey(field.key)} ${direction}`;
    case 'param':
    default:
      return `params.${quoteKey(field.key)} ${direction}`;
  }
}

export function isSameSortField(a: RunSortField, b: RunSortField): boolean {
  return a.type === b.type && a.key === b.key;
}
