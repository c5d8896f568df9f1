import { useApi } from '@backstage/core-plugin-api';
import useAsync from 'react-use/esm/useAsync';
import {
  type MlopsEntityRef,
  mlopsApiRef,
  type SearchMlflowRunsOptions,
} from '../api';
import { entityRefKey } from './entityRefKey';

/** One page of runs for the given search. */
export function useMlflowRuns(
  entityRef: MlopsEntityRef,
  options: SearchMlflowRunsOptions,
) {
  const api = useApi(mlopsApiRef);
  const key = entityRefKey(entityRef);
  const optionsKey = JSON.stringify(options);
  return useAsync(
    () => api.searchMlflowRuns(key, JSON.parse(optionsKey)),
    [api, key, optionsKey],
  );
}
