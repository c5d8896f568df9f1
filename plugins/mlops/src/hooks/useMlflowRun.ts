import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** One run with its params, latest metrics, tags and datasets. */
export function useMlflowRun(entityRef: MlopsEntityRef, runId: string) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsync(() => api.getMlflowRun(key, runId), [api, key, runId]);
}
