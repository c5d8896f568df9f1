import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** The entity's registered models with their versions; skipped when disabled. */
export function useMlflowModels(entityRef: MlopsEntityRef, enabled = true) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsync(
    async () => (enabled ? api.getMlflowModels(key) : undefined),
    [api, key, enabled],
  );
}
