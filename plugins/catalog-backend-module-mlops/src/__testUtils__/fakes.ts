import type {
  GetEntitiesByRefsRequest,
  QueryEntitiesRequest,
} from '@backstage/catalog-client';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { NotFoundError } from '@backstage/errors';
import type { RegisteredModelSummary } from '../provider/readClaimedModel';
import type { CustomObjectPage } from '@mlstack/plugin-mlops-node';
import type { ModelRegistries } from '../provider/collectModelEntities';
import type {
  ClusterSource,
  ServingCluster,
} from '../provider/servingServices';

/** MLflow instances answering from a map (instance → model name → model), or failing. */
export function fakeRegistries(
  models: Record<string, Record<string, RegisteredModelSummary>>,
  failures: Record<string, Error> = {},
): ModelRegistries & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    defaultName: Object.keys(models)[0],
    get(name?: string) {
      const instance = name || Object.keys(models)[0];
      if (!(instance in models) && !(instance in failures)) {
        throw new NotFoundError(`Unknown MLflow instance '${instance}'`);
      }
      return {
        async getRegisteredModelSummary(modelName: string) {
          calls.push(`${instance}/${modelName}`);
          if (failures[instance]) {
            throw failures[instance];
          }
          return models[instance][modelName];
        },
      };
    },
  };
}

/**
 * One cluster, `default`, listing the given InferenceServices by namespace and label (one value
 * or a set), recording each list.
 */
export function fakeClusters(
  objects: Array<Record<string, any>>,
  failure?: Error,
): ClusterSource & { lists: string[] } {
  const lists: string[] = [];
  const cluster: ServingCluster = {
    name: 'default',
    async listCustomObjects(_type, namespace, options) {
      lists.push(`${namespace}?${options?.labelSelector}`);
      if (failure) {
        throw failure;
      }
      // `key=value` or `key in (a,b,…)`
      const selector = options?.labelSelector ?? '=';
      const set = /^(\S+) in \((.*)\)$/.exec(selector);
      const [key, values] = set
        ? [set[1], set[2].split(',')]
        : [selector.split('=')[0], [selector.split('=')[1]]];
      const page: CustomObjectPage = {
        items: objects.filter(
          o =>
            o.metadata.namespace === namespace &&
            values.includes(o.metadata.labels?.[key]),
        ),
      };
      return page;
    },
  };
  return { lists, get: () => cluster };
}

/**
 * A catalog of the given entities (changeable between calls) answering `queryEntities` a page at
 * a time and `getEntitiesByRefs`, recording the requests.
 */
export function fakeCatalog(initial: Entity[]) {
  let entities = initial;
  const queries: QueryEntitiesRequest[] = [];
  const byRefs: string[][] = [];
  return {
    queries,
    byRefs,
    setEntities(next: Entity[]) {
      entities = next;
    },
    async queryEntities(request?: QueryEntitiesRequest) {
      queries.push(request ?? {});
      return catalogServiceMock({ entities }).queryEntities(request);
    },
    async getEntitiesByRefs(request: GetEntitiesByRefsRequest) {
      byRefs.push(request.entityRefs);
      return catalogServiceMock({ entities }).getEntitiesByRefs(request);
    },
  };
}
