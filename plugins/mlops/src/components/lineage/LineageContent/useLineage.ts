import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { type MlopsEntityRef, mlopsApiRef } from '../../../api';
import { entityRefKey } from '../../../hooks/entityRefKey';
import type { LineageSelection } from '../LineageSelector';

/** The lineage of the selected model (and version or alias); refetched when the selection changes. */
export function useLineage(
  entityRef: MlopsEntityRef,
  selection: LineageSelection,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  const { model, version, alias } = selection;
  return useAsyncRetry(
    () => api.getLineage(key, { model, version, alias }),
    [api, key, model, version, alias],
  );
}
