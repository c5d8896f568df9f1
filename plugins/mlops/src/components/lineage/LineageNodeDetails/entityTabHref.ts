import type { LineageTabLink } from '@mlstack/plugin-mlops-common';

/** The path of the Lineage tab below the entity page (see extensions.tsx). */
export const LINEAGE_TAB_PATH = 'lineage';

/**
 * Where a sibling tab of the entity page is, seen from the Lineage tab's location:
 * `/catalog/default/component/x/lineage` → `/catalog/default/component/x/mlflow?run=…`.
 */
export function entityTabHref(pathname: string, link: LineageTabLink): string {
  const entityPage = pathname
    .replace(/\/+$/, '')
    .replace(new RegExp(`/${LINEAGE_TAB_PATH}$`), '');
  const query = new URLSearchParams(link.query).toString();
  return `${entityPage}/${link.tab}${query ? `?${query}` : ''}`;
}
