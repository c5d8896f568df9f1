import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** Where the entity may deploy models, and the runtimes to choose from. */
export function useDeployTargets(entityRef: MlopsEntityRef) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsync(() => api.getDeployTargets(key), [api, key]);
}
