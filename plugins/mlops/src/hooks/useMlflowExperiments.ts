import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** The entity's MLflow experiments; skipped (value undefined) when disabled. */
export function useMlflowExperiments(
  entityRef: MlopsEntityRef,
  enabled = true,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsync(
    async () => (enabled ? api.getMlflowExperiments(key) : undefined),
    [api, key, enabled],
  );
}
