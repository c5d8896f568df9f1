import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import {
  type GetInferenceServiceLogsOptions,
  type MlopsEntityRef,
  mlopsApiRef,
} from '../api';
import { entityRefKey } from './entityRefKey';

/** The logs of a service component's newest pod; skipped when disabled. */
export function useInferenceServiceLogs(
  entityRef: MlopsEntityRef,
  service: string,
  component: GetInferenceServiceLogsOptions['component'],
  enabled = true,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  return useAsyncRetry(
    async () =>
      enabled
        ? api.getInferenceServiceLogs(key, service, { component })
        : undefined,
    [api, key, service, component, enabled],
  );
}
