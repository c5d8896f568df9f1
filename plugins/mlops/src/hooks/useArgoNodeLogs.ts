import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** The logs of a node's pod (main container); skipped when disabled. */
export function useArgoNodeLogs(
  entityRef: MlopsEntityRef,
  workflow: string,
  nodeId: string,
  enabled = true,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsyncRetry(
    async () =>
      enabled ? api.getArgoNodeLogs(key, workflow, nodeId) : undefined,
    [api, key, workflow, nodeId, enabled],
  );
}
