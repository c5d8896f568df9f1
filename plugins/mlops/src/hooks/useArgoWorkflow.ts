import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** One workflow with its nodes and graph; `retry` reloads it. */
export function useArgoWorkflow(entityRef: MlopsEntityRef, workflow: string) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsyncRetry(
    () => api.getArgoWorkflow(key, workflow),
    [api, key, workflow],
  );
}
