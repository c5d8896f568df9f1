import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import { type MlopsEntityRef, mlopsApiRef } from '../api';
import { entityRefKey } from './entityRefKey';

/** The history of one metric for each of the given runs, in their order. */
export function useMetricHistories(
  entityRef: MlopsEntityRef,
  runIds: string[],
  metricKey: string,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  const idsKey = runIds.join(',');
  return useAsync(
    () =>
      Promise.all(
        idsKey
          .split(',')
          .filter(Boolean)
          .map(id => api.getMlflowMetricHistory(key, id, metricKey)),
      ),
    [api, key, idsKey, metricKey],
  );
}
