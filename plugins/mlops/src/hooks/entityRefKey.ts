import { stringifyEntityRef } from '@backstage/catalog-model';
import type { MlopsEntityRef } from '../api';

/** A stable string for an entity ref, to use in hook dependency lists. */
export function entityRefKey(entityRef: MlopsEntityRef): string {
  return typeof entityRef === 'string'
    ? entityRef
    : stringifyEntityRef(entityRef);
}
