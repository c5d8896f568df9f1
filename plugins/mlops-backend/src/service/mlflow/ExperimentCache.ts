import type { MlflowExperiment } from '@mlstack/plugin-mlops-common';
import { BoundedMap } from './BoundedMap';

/**
 * Remembers experiment lookups by name for a short while, so that a page load (the
 * experiments call, then a runs page) costs MLflow one `runs/search` and no repeated
 * `experiments/get-by-name`. A name MLflow does not know is remembered as `null`.
 */
export class ExperimentCache {
  private readonly entries: BoundedMap<
    string,
    { value: MlflowExperiment | null; expiresAt: number }
  >;

  constructor(
    private readonly ttlMs: number = 30_000,
    maxEntries: number = 1_000,
    private readonly now: () => number = Date.now,
  ) {
    this.entries = new BoundedMap(maxEntries);
  }

  get(instance: string, name: string): MlflowExperiment | null | undefined {
    const key = `${instance}\u0000${name}`;
    const entry = this.entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(instance: string, name: string, value: MlflowExperiment | null): void {
    this.entries.set(`${instance}\u0000${name}`, {
      value,
      expiresAt: this.now() + this.ttlMs,
    });
  }
}
