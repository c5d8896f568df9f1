import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/**
 * One page of the entity's workflows. The value carries the token it was
 * loaded for, so a refresh of the same page can be told from a page change.
 */
export function useArgoWorkflows(
  entityRef: MlopsEntityRef,
  options: { limit?: number; continue?: string },
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  const { limit, continue: token } = options;
  return useAsyncRetry(async () => {
    const page = await api.listArgoWorkflows(key, { limit, continue: token });
    return { token, limit, page };
  }, [api, key, limit, token]);
}
