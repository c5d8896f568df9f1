import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  type ListMlflowArtifactsOptions,
  type MlopsEntityRef,
  mlopsApiRef,
} from '../api';
import { entityRefKey } from './entityRefKey';

/** One page of a run's artifacts in one folder. */
export function useMlflowArtifacts(
  entityRef: MlopsEntityRef,
  runId: string,
  options: ListMlflowArtifactsOptions,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  const { path, pageToken } = options;
  return useAsync(
    () => api.listMlflowArtifacts(key, runId, { path, pageToken }),
    [api, key, runId, path, pageToken],
  );
}
