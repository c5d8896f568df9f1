import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** The entity's InferenceServices; skipped when disabled; `retry` reloads them. */
export function useInferenceServices(
  entityRef: MlopsEntityRef,
  enabled = true,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsyncRetry(
    async () => (enabled ? api.getInferenceServices(key) : undefined),
    [api, key, enabled],
  );
}
