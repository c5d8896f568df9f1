import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** The events of a service and its predictor objects; skipped when disabled. */
export function useInferenceServiceEvents(
  entityRef: MlopsEntityRef,
  service: string,
  enabled = true,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsyncRetry(
    async () =>
      enabled ? api.getInferenceServiceEvents(key, service) : undefined,
    [api, key, service, enabled],
  );
}
