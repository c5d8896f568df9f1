import { BoundedMap } from './BoundedMap';

/** Where an entity's runs were last searched: its MLflow instance and experiment ids. */
export interface RunScope {
  instance: string;
  experimentIds: string[];
}

/**
 * Remembers, per entity ref, the run scope of its last authorised runs search, so the next
 * runs page can start its MLflow call while the catalog still checks the caller (see
 * MlflowEntityService.searchRuns). Bounded; the oldest entry goes first.
 */
export class RunScopeMemory {
  private readonly scopes: BoundedMap<string, RunScope>;

  constructor(maxEntries: number = 1_000) {
    this.scopes = new BoundedMap(maxEntries);
  }

  get(entityRef: string): RunScope | undefined {
    return this.scopes.get(key(entityRef));
  }

  remember(entityRef: string, scope: RunScope): void {
    this.scopes.set(key(entityRef), scope);
  }
}

/** Entity refs compare case-insensitively, as in the catalog. */
function key(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

export function sameScope(a: RunScope, b: RunScope): boolean {
  return (
    a.instance === b.instance &&
    a.experimentIds.length === b.experimentIds.length &&
    a.experimentIds.every((id, i) => id === b.experimentIds[i])
  );
}
