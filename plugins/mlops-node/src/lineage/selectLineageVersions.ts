import type { MlflowModelVersion } from '@mlstack/plugin-mlops-common';

/**
 * The version, or the alias of a version, a lineage is focused on; neither for the newest versions.
 *
 * @public
 */
export interface LineageFocus {
  version?: string;
  alias?: string;
}

/**
 * The versions a lineage shows (and how many the cap left out), or why the focus found none.
 *
 * @public
 */
export type VersionSelection =
  | { versions: MlflowModelVersion[]; capped: number }
  | { notFound: string };

/**
 * The versions a lineage shows: the one a version number or alias names, else the newest
 * `max` (the count left out is `capped`). `versions` come newest first, as MLflow lists them.
 *
 * @public
 */
export function selectLineageVersions(
  model: string,
  versions: MlflowModelVersion[],
  focus: LineageFocus,
  max: number,
): VersionSelection {
  if (focus.version !== undefined) {
    const found = versions.find(v => v.version === focus.version);
    return found
      ? { versions: [found], capped: 0 }
      : { notFound: `Model ${model} has no version ${focus.version}` };
  }
  if (focus.alias !== undefined) {
    const found = versions.find(v => v.aliases.includes(focus.alias!));
    return found
      ? { versions: [found], capped: 0 }
      : { notFound: `Model ${model} has no alias ${focus.alias}` };
  }
  return {
    versions: versions.slice(0, max),
    capped: Math.max(0, versions.length - max),
  };
}
