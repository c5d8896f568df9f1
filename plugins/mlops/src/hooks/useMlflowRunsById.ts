import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** Several runs by id (for comparing), in the order of the ids given. */
export function useMlflowRunsById(entityRef: MlopsEntityRef, runIds: string[]) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  const idsKey = runIds.join(',');
  return useAsync(
    () =>
      Promise.all(
        idsKey
          .split(',')
          .filter(Boolean)
          .map(id => api.getMlflowRun(key, id)),
      ),
    [api, key, idsKey],
  );
}
