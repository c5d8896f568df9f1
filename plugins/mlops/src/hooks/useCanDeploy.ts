import { stringifyEntityRef } from '@backstage/catalog-model';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import { kserveServiceDeployPermission } from '@mlstack/plugin-mlops-common';

/** Whether the user may deploy models for the entity in context. */
export function useCanDeploy(): { allowed: boolean; loading: boolean } {
  const { entity } = useEntity();
  const { allowed, loading } = usePermission({
    permission: kserveServiceDeployPermission,
    resourceRef: stringifyEntityRef(entity),
  });
  return { allowed, loading };
}
