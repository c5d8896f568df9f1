import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** One page of the MLflow 3 logged models of the entity's experiments. */
export function useMlflowLoggedModels(
  entityRef: MlopsEntityRef,
  pageToken: string | undefined,
  enabled = true,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsync(
    async () =>
      enabled ? api.getMlflowLoggedModels(key, { pageToken }) : undefined,
    [api, key, pageToken, enabled],
  );
}
