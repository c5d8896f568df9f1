/**
 * The catalog model provider (MlstackModelProvider) as `yarn bench catalog-models` runs it: its
 * own code in this process, reading the bench backend's catalog over REST, MLflow and the API
 * server each behind a counting proxy, its mutations recorded.
 */
import { CatalogClient } from '@backstage/catalog-client';
import { type Config, ConfigReader } from '@backstage/config';
import { MlflowOwnership } from '@mlstack/plugin-mlops-common';
import {
  KubernetesClusters,
  MlflowInstances,
} from '@mlstack/plugin-mlops-node';
import {
  MlstackModelProvider,
  type MlstackModelProviderOptions,
  type ModelProviderRunResult,
} from '@mlstack/plugin-catalog-backend-module-mlops';
import type { ProxyStats } from './countingProxy';
import { countBy } from './measure';

type Connection = Parameters<MlstackModelProvider['connect']>[0];
type Mutation = Parameters<Connection['applyMutation']>[0];

/** Where the provider reads from. */
export interface ProviderUpstreams {
  backend: string;
  /** A static external-access token of the bench backend (a service principal, as the module's own credentials are). */
  catalogToken: string;
  /** The counting proxies in front of MLflow and the API server. */
  mlflowProxy: string;
  kubeProxy: string;
  kubeToken: string;
  instance: string;
  cluster: string;
}

/** A connection that records how many entities each mutation of a pass carried. */
export class RecordingConnection implements Connection {
  readonly mutations: number[] = [];

  constructor(private readonly onMutation: (m: Mutation) => void = () => {}) {}

  async applyMutation(mutation: Mutation): Promise<void> {
    this.mutations.push(
      mutation.type === 'delta'
        ? mutation.added.length + mutation.removed.length
        : mutation.entities.length,
    );
    this.onMutation(mutation);
  }

  async refresh(): Promise<void> {}
}

/** The provider's options: the catalog over REST (calls counted), MLflow and the cluster through the proxies; warnings collected. */
export function providerOptions(
  upstreams: ProviderUpstreams,
  appConfig: Config,
  maxModels: number,
): {
  options: MlstackModelProviderOptions;
  catalogClient: CatalogClient;
  catalogCalls: string[];
  warnings: unknown[];
} {
  const catalogClient = new CatalogClient({
    discoveryApi: {
      getBaseUrl: async () => `${upstreams.backend}/api/catalog`,
    },
  });
  const catalogCalls: string[] = [];
  const token = upstreams.catalogToken;
  const warnings: unknown[] = [];
  const logger: MlstackModelProviderOptions['logger'] = {
    error: m => warnings.push(m),
    warn: m => warnings.push(m),
    info: () => {},
    debug: () => {},
    child: () => logger,
  };
  const registries = MlflowInstances.fromConfig(
    new ConfigReader({
      mlops: {
        mlflow: {
          instances: [
            { name: upstreams.instance, baseUrl: upstreams.mlflowProxy },
          ],
        },
      },
    }),
    { logger },
  );
  const clusters = KubernetesClusters.fromConfig(
    new ConfigReader({
      mlops: {
        kubernetes: {
          clusters: [
            {
              name: upstreams.cluster,
              url: upstreams.kubeProxy,
              skipTLSVerify: true,
              serviceAccountToken: upstreams.kubeToken,
            },
          ],
        },
      },
    }),
    { env: {} },
  );
  const options: MlstackModelProviderOptions = {
    // The CatalogService calls the provider makes, over the catalog's REST API.
    catalog: {
      async queryEntities(request) {
        catalogCalls.push('queryEntities');
        return catalogClient.queryEntities(request, { token });
      },
      async getEntitiesByRefs(request) {
        catalogCalls.push('getEntitiesByRefs');
        return catalogClient.getEntitiesByRefs(request, { token });
      },
    },
    auth: {
      getOwnServiceCredentials: async () => ({
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'service', subject: 'plugin:catalog' },
      }),
    },
    logger,
    registries,
    clusters,
    ownership: MlflowOwnership.fromConfig(appConfig),
    maxModels,
  };
  return { options, catalogClient, catalogCalls, warnings };
}

/** The calls a counting proxy forwarded, by path. */
export async function proxyCalls(
  proxy: string,
): Promise<{ total: number; byPath: Record<string, number> }> {
  const { calls }: ProxyStats = await (await fetch(`${proxy}/__stats`)).json();
  return { total: calls.length, byPath: countBy(calls) };
}

const heapUsed = () => process.memoryUsage().heapUsed;
export const mb = (bytes: number) => Math.round((bytes / 2 ** 20) * 10) / 10;

export interface TimedPass {
  ms: number;
  result: ModelProviderRunResult;
  mlflowCalls: { total: number; byPath: Record<string, number> };
  kubeCalls: { total: number; byPath: Record<string, number> };
  catalogCalls: number;
  mutations: number[];
  peakHeapGrowthMb: number;
}

/**
 * One timed pass of the provider: wall time, the calls of each upstream, the mutations, and the
 * heap's peak over its value after a GC before the pass (sampled every 5 ms and, through
 * `sampleAtMutation`, at each mutation).
 */
export async function timedPass(
  provider: MlstackModelProvider,
  connection: RecordingConnection,
  counters: { mlflowProxy: string; kubeProxy: string; catalogCalls: string[] },
  gc: () => void,
  setSampleAtMutation: (sample: () => void) => void,
): Promise<TimedPass> {
  const { mlflowProxy, kubeProxy, catalogCalls } = counters;
  await Promise.all([mlflowProxy, kubeProxy].map(p => fetch(`${p}/__reset`)));
  catalogCalls.length = 0;
  connection.mutations.length = 0;
  gc();
  const baseline = heapUsed();
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, heapUsed());
  };
  setSampleAtMutation(sample);
  const sampler = setInterval(sample, 5);
  const start = process.hrtime.bigint();
  let result: ModelProviderRunResult;
  try {
    result = await provider.refresh();
  } finally {
    clearInterval(sampler);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  sample();
  const [mlflowCalls, kubeCalls] = await Promise.all([
    proxyCalls(mlflowProxy),
    proxyCalls(kubeProxy),
  ]);
  return {
    ms: Math.round(ms),
    result,
    mlflowCalls,
    kubeCalls,
    catalogCalls: catalogCalls.length,
    mutations: [...connection.mutations],
    peakHeapGrowthMb: mb(peak - baseline),
  };
}
