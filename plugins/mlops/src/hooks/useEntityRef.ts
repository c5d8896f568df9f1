import {
  type CompoundEntityRef,
  getCompoundEntityRef,
} from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { useMemo } from 'react';

/** The compound ref of the entity in context, stable across renders. */
export function useEntityRef(): CompoundEntityRef {
  const { entity } = useEntity();
  const { kind, namespace, name } = getCompoundEntityRef(entity);
  return useMemo(() => ({ kind, namespace, name }), [kind, namespace, name]);
}
