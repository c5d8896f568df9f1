import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** The entity's WorkflowTemplates; skipped (value undefined) when disabled. */
export function useArgoWorkflowTemplates(
  entityRef: MlopsEntityRef,
  enabled = true,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsync(
    async () => (enabled ? api.getArgoWorkflowTemplates(key) : undefined),
    [api, key, enabled],
  );
}
