// Issue #12: the catalog's model provider's full pass over many claimed registered models (1,000
// by default), run with the provider's own code (MlstackModelProvider.refresh, the module's
// MlflowInstances / KubernetesClusters clients) in this process, against the bench backend's
// real catalog (the claimers read through the catalog's REST API, as the catalog service the
// module gets from the backend reads them), the harness's real MLflow and API server (each
// behind a counting proxy). The mutations go to a recording connection (the catalog's
// applyMutation runs in the catalog's process): it counts the entities of each.
// Reports per pass: wall time, MLflow / API server / catalog calls, pages, the largest mutation
// (what the pass holds at once) and the heap growth (process.memoryUsage().heapUsed sampled
// every 5 ms and at each mutation, over its value after a GC before the pass). Then one more
// pass, not timed, with a GC at each mutation: the live heap while each page is held, which
// stays flat from page to page when the pass keeps one page (and refs) only. Exits 1 when a
// pass takes longer than the provider's schedule timeout in app-config.yaml (or when it does not
// emit every model and serving API).
// Run with node --require @backstage/cli/config/nodeTransform.cjs --expose-gc (the provider
// is TypeScript).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const { ConfigReader } = require('@backstage/config');
const { CatalogClient } = require('@backstage/catalog-client');
const { durationToMilliseconds } = require('@backstage/types');
const { Duration } = require('luxon');
const YAML = require('yaml');
const { MlflowOwnership } = require('@mlstack/plugin-mlops-common');
const {
  KubernetesClusters,
  MlflowInstances,
} = require('@mlstack/plugin-mlops-node');
const {
  MlstackModelProvider,
} = require('@mlstack/plugin-catalog-backend-module-mlops');
const {
  readModelProviderConfig,
} = require('@mlstack/plugin-catalog-backend-module-mlops/src/config');
const {
  CLAIMER_PAGE_SIZE,
} = require('@mlstack/plugin-catalog-backend-module-mlops/src/provider/catalogPages');
const {
  MODEL_READ_CONCURRENCY,
} = require('@mlstack/plugin-catalog-backend-module-mlops/src/provider/collectModelEntities');

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string' },
    // A static external-access token of the bench backend (a service principal, as the
    // module's own credentials are).
    'catalog-token': { type: 'string' },
    mlflow: { type: 'string' },
    kube: { type: 'string' },
    'kube-token': { type: 'string' },
    instance: { type: 'string', default: 'bench-models' },
    cluster: { type: 'string', default: 'bench-models' },
    claimers: { type: 'string', default: '1000' },
    // The InferenceServices deployed for some claimers (catalog-models-objects.mjs): each is
    // one serving API, found through the page's label-set list.
    services: { type: 'string', default: '20' },
    'app-config': { type: 'string', default: 'app-config.yaml' },
    passes: { type: 'string', default: '5' },
    out: { type: 'string' },
  },
});
const claimers = Number(args.claimers);
if (typeof global.gc !== 'function') {
  throw new Error('run with node --expose-gc');
}

// The provider's schedule and maxModels, as the portal reads them.
const appConfig = new ConfigReader(
  YAML.parse(fs.readFileSync(args['app-config'], 'utf8')),
);
const providerConfig = readModelProviderConfig(appConfig);
if (!providerConfig) {
  throw new Error(
    `${args['app-config']} does not configure the model provider`,
  );
}
const toMs = d =>
  typeof d === 'string'
    ? Duration.fromISO(d).toMillis()
    : typeof d.toMillis === 'function'
    ? d.toMillis()
    : durationToMilliseconds(d);
const timeoutMs = toMs(providerConfig.schedule.timeout);
const { frequency } = providerConfig.schedule;
const frequencyMs =
  typeof frequency === 'object' &&
  ('cron' in frequency || 'trigger' in frequency)
    ? undefined
    : toMs(frequency);
// Every claimed model is ingested (the portal's maxModels, if lower, would leave some out of the
// catalog; the pass reads them from MLflow all the same).
const maxModels = Math.max(providerConfig.maxModels, claimers);

const catalogClient = new CatalogClient({
  discoveryApi: { getBaseUrl: async () => `${args.backend}/api/catalog` },
});
const catalogCalls = [];
const token = args['catalog-token'];
/** The CatalogService calls the provider makes, over the catalog's REST API. */
const catalog = {
  async queryEntities(request) {
    catalogCalls.push('queryEntities');
    return catalogClient.queryEntities(request, { token });
  },
  async getEntitiesByRefs(request) {
    catalogCalls.push('getEntitiesByRefs');
    return catalogClient.getEntitiesByRefs(request, { token });
  },
};

const warnings = [];
const logger = {
  error: m => warnings.push(m),
  warn: m => warnings.push(m),
  info: () => {},
  debug: () => {},
  child: () => logger,
};

/** Waits until the catalog serves every bench claimer (stitched), as the provider reads them. */
async function waitForClaimers() {
  const deadline = Date.now() + 600_000;
  let seen = -1;
  while (Date.now() < deadline) {
    try {
      const { totalItems } = await catalogClient.queryEntities(
        {
          filter: {
            kind: 'component',
            'metadata.annotations.mlflow.org/instance': args.instance,
          },
          limit: 0,
        },
        { token },
      );
      if (totalItems >= claimers) return;
      if (totalItems !== seen) {
        console.error(`the catalog has ${totalItems} of ${claimers} claimers`);
        seen = totalItems;
      }
    } catch {
      // the backend (a dev server) may be restarting
    }
    await new Promise(r => setTimeout(r, 2000));
  }
  throw new Error(`the catalog never had the ${claimers} bench claimers`);
}

async function proxyStats(url) {
  const { calls } = await (await fetch(`${url}/__stats`)).json();
  const byPath = {};
  for (const c of calls) byPath[c] = (byPath[c] ?? 0) + 1;
  return { total: calls.length, byPath };
}
const resetProxies = () =>
  Promise.all([args.mlflow, args.kube].map(p => fetch(`${p}/__reset`)));

/** The mutations of a pass: the entities each added or removed (and dropped). */
function recordingConnection(onMutation = () => {}) {
  const connection = {
    mutations: [],
    async applyMutation(mutation) {
      const entities =
        mutation.type === 'delta'
          ? mutation.added.length + mutation.removed.length
          : mutation.entities.length;
      connection.mutations.push(entities);
      onMutation(mutation);
    },
    async refresh() {},
  };
  return connection;
}

const registries = MlflowInstances.fromConfig(
  new ConfigReader({
    mlops: {
      mlflow: { instances: [{ name: args.instance, baseUrl: args.mlflow }] },
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
            name: args.cluster,
            url: args.kube,
            skipTLSVerify: true,
            serviceAccountToken: args['kube-token'],
          },
        ],
      },
    },
  }),
  { env: {} },
);
const providerOptions = {
  catalog,
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

const heapUsed = () => process.memoryUsage().heapUsed;
const mb = bytes => Math.round((bytes / 2 ** 20) * 10) / 10;

/** Heap samples taken at each mutation of a timed pass (the page's entities are held then). */
let sampleAtMutation = () => {};

/** One timed pass of the provider. */
async function timedPass(provider, connection) {
  await resetProxies();
  catalogCalls.length = 0;
  connection.mutations.length = 0;
  global.gc();
  const baseline = heapUsed();
  let peak = baseline;
  const sample = () => {
    peak = Math.max(peak, heapUsed());
  };
  sampleAtMutation = sample;
  const sampler = setInterval(sample, 5);
  const start = process.hrtime.bigint();
  let result;
  try {
    result = await provider.refresh();
  } finally {
    clearInterval(sampler);
  }
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  sample();
  const [mlflow, kube] = await Promise.all([
    proxyStats(args.mlflow),
    proxyStats(args.kube),
  ]);
  return {
    ms: Math.round(ms),
    result,
    mlflowCalls: mlflow,
    kubeCalls: kube,
    catalogCalls: catalogCalls.length,
    mutations: [...connection.mutations],
    peakHeapGrowthMb: mb(peak - baseline),
  };
}

await waitForClaimers();

// The timed passes: one provider, as the scheduler runs it (the first pass after a start also
// reads the refs it emitted before from the catalog).
const timedConnection = recordingConnection(() => sampleAtMutation());
const provider = new MlstackModelProvider(providerOptions);
await provider.connect(timedConnection);
const passes = [];
for (let i = 0; i < Number(args.passes); i++) {
  const pass = await timedPass(provider, timedConnection);
  if (!pass.result.complete) {
    throw new Error(
      `pass ${i + 1} was incomplete (${pass.result.unavailable.join(
        ', ',
      )}); warnings:\n${warnings.slice(-5).join('\n')}`,
    );
  }
  passes.push(pass);
  console.error(
    `pass ${i + 1}: ${pass.ms} ms, ${pass.mlflowCalls.total} MLflow calls, ${
      pass.result.pages
    } pages, heap +${pass.peakHeapGrowthMb} MB`,
  );
}

// The memory pass: a GC at each mutation, then the live heap while the page is held.
global.gc();
const memoryBaseline = heapUsed();
const live = [];
let largestPageBytes = 0;
const memoryConnection = recordingConnection(mutation => {
  if (mutation.type !== 'delta' || mutation.added.length === 0) return;
  largestPageBytes = Math.max(
    largestPageBytes,
    Buffer.byteLength(JSON.stringify(mutation.added)),
  );
  global.gc();
  live.push(heapUsed() - memoryBaseline);
});
const memoryProvider = new MlstackModelProvider(providerOptions);
await memoryProvider.connect(memoryConnection);
await memoryProvider.refresh();
global.gc();
const retained = heapUsed() - memoryBaseline;

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const times = passes.map(p => p.ms);
const last = passes[passes.length - 1];
const report = {
  claimers,
  models: last.result.models,
  apis: last.result.apis,
  pageSize: CLAIMER_PAGE_SIZE,
  modelReadConcurrency: MODEL_READ_CONCURRENCY,
  maxModels,
  configuredMaxModels: providerConfig.maxModels,
  schedule: { timeoutMs, frequencyMs },
  passMs: { p50: quantile(times, 0.5), max: Math.max(...times), all: times },
  mlflowCallsPerPass: passes.map(p => p.mlflowCalls.total),
  mlflowCallsByPath: last.mlflowCalls.byPath,
  kubeCallsPerPass: passes.map(p => p.kubeCalls.total),
  catalogCallsPerPass: passes.map(p => p.catalogCalls),
  pages: last.result.pages,
  largestMutation: Math.max(...passes.map(p => p.result.largestMutation)),
  entitiesPerMutation: last.mutations,
  peakHeapGrowthMb: {
    p50: quantile(
      passes.map(p => p.peakHeapGrowthMb),
      0.5,
    ),
    max: Math.max(...passes.map(p => p.peakHeapGrowthMb)),
    all: passes.map(p => p.peakHeapGrowthMb),
  },
  liveHeapPerPageMb: live.map(mb),
  retainedAfterPassMb: mb(retained),
  largestPageJsonKb: Math.round(largestPageBytes / 1024),
  warnings: warnings.length,
  loadAverage: fs
    .readFileSync('/proc/loadavg', 'utf8')
    .split(' ')
    .slice(0, 3)
    .join(' '),
};
if (args.out)
  fs.writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);

const fits = report.passMs.max <= timeoutMs;
console.table({
  'pass (p50)': {
    value: `${report.passMs.p50} ms`,
    bound: `${timeoutMs} ms (schedule timeout)`,
  },
  'pass (max)': {
    value: `${report.passMs.max} ms`,
    bound: fits ? 'fits' : 'EXCEEDS',
  },
  'MLflow calls / pass': {
    value: report.mlflowCallsPerPass[passes.length - 1],
    bound: '',
  },
  'API server calls / pass': {
    value: report.kubeCallsPerPass[passes.length - 1],
    bound: '',
  },
  'catalog calls / pass': {
    value: report.catalogCallsPerPass.join(', '),
    bound: '',
  },
  pages: { value: report.pages, bound: `${CLAIMER_PAGE_SIZE} claimers a page` },
  'largest mutation': {
    value: report.largestMutation,
    bound: 'entities of one page',
  },
  'peak heap growth': {
    value: `${report.peakHeapGrowthMb.max} MB`,
    bound: `p50 ${report.peakHeapGrowthMb.p50} MB`,
  },
  'live heap per page': {
    value: `${report.liveHeapPerPageMb.join(' ')} MB`,
    bound: `a page's entities ${report.largestPageJsonKb} KB of JSON`,
  },
  'retained after pass': {
    value: `${report.retainedAfterPassMb} MB`,
    bound: '',
  },
});
console.log(
  `${claimers} claimers, ${report.models} models, ${
    report.apis
  } serving APIs; passes ${times.join(', ')} ms; load ${report.loadAverage}; ${
    report.warnings
  } warnings`,
);
if (report.models !== claimers || report.apis !== Number(args.services)) {
  console.error(
    `expected ${claimers} models and ${args.services} serving APIs, the pass emitted ${report.models} and ${report.apis}`,
  );
  process.exit(1);
}
if (!fits) {
  console.error(
    `a pass took ${report.passMs.max} ms, longer than the schedule timeout (${timeoutMs} ms)`,
  );
  process.exit(1);
}
