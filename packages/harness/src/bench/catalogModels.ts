/**
 * Issue #12: the catalog's model provider's full pass over many claimed registered models (1,000
 * by default), run with the provider's own code (MlstackModelProvider.refresh, the module's
 * MlflowInstances / KubernetesClusters clients) in this process, against the bench backend's
 * real catalog (the claimers read through the catalog's REST API, as the catalog service the
 * module gets from the backend reads them), the harness's real MLflow and API server (each
 * behind a counting proxy). The mutations go to a recording connection (the catalog's
 * applyMutation runs in the catalog's process): it counts the entities of each.
 * Reports per pass: wall time, MLflow / API server / catalog calls, pages, the largest mutation
 * (what the pass holds at once) and the heap growth (process.memoryUsage().heapUsed sampled
 * every 5 ms and at each mutation, over its value after a GC before the pass). Then one more
 * pass, not timed, with a GC at each mutation: the live heap while each page is held, which
 * stays flat from page to page when the pass keeps one page (and refs) only. Exits 1 when a
 * pass takes longer than the provider's schedule timeout in app-config.yaml (or when it does not
 * emit every model and serving API).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs --expose-gc \
 *     packages/harness/src/bench/catalogModels.ts --backend URL --catalog-token TOKEN \
 *     --mlflow PROXY_URL --kube PROXY_URL --kube-token TOKEN [--instance NAME] [--cluster NAME] \
 *     [--claimers 1000] [--services 20] [--app-config app-config.yaml] [--passes 5] [--out FILE]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigReader } from '@backstage/config';
import { MlstackModelProvider } from '@mlstack/plugin-catalog-backend-module-mlops';
import YAML from 'yaml';
import { requireOptions, runMain } from '../cli';
import {
  RecordingConnection,
  mb,
  providerOptions,
  timedPass,
} from './catalogModelsPass';
import { providerSettings } from './catalogModelsSettings';
import { printCatalogModelsReport } from './catalogModelsReport';
import { quantile } from './measure';

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      'catalog-token': { type: 'string' },
      mlflow: { type: 'string' },
      kube: { type: 'string' },
      'kube-token': { type: 'string' },
      instance: { type: 'string', default: 'bench-models' },
      cluster: { type: 'string', default: 'bench-models' },
      claimers: { type: 'string', default: '1000' },
      // The InferenceServices deployed for some claimers (catalogModelsObjects.ts): each is
      // one serving API, found through the page's label-set list.
      services: { type: 'string', default: '20' },
      'app-config': { type: 'string', default: 'app-config.yaml' },
      passes: { type: 'string', default: '5' },
      out: { type: 'string' },
    },
  });
  const args = requireOptions(values, [
    'backend',
    'catalog-token',
    'mlflow',
    'kube',
    'kube-token',
  ]);
  const claimers = Number(args.claimers);
  const gc = globalThis.gc;
  if (typeof gc !== 'function') {
    throw new Error('run with node --expose-gc');
  }
  const collect = () => {
    gc();
  };

  const appConfig = new ConfigReader(
    YAML.parse(fs.readFileSync(args['app-config'], 'utf8')),
  );
  const settings = providerSettings(appConfig, args['app-config'], claimers);
  const { options, catalogClient, catalogCalls, warnings } = providerOptions(
    {
      backend: args.backend,
      catalogToken: args['catalog-token'],
      mlflowProxy: args.mlflow,
      kubeProxy: args.kube,
      kubeToken: args['kube-token'],
      instance: args.instance,
      cluster: args.cluster,
    },
    appConfig,
    settings.maxModels,
  );

  // Waits until the catalog serves every bench claimer (stitched), as the provider reads them.
  const deadline = Date.now() + 600_000;
  let seen = -1;
  for (;;) {
    if (Date.now() >= deadline) {
      throw new Error(`the catalog never had the ${claimers} bench claimers`);
    }
    try {
      const { totalItems } = await catalogClient.queryEntities(
        {
          filter: {
            kind: 'component',
            'metadata.annotations.mlflow.org/instance': args.instance,
          },
          limit: 0,
        },
        { token: args['catalog-token'] },
      );
      if (totalItems >= claimers) break;
      if (totalItems !== seen) {
        console.error(`the catalog has ${totalItems} of ${claimers} claimers`);
        seen = totalItems;
      }
    } catch {
      // the backend (a dev server) may be restarting
    }
    await new Promise(r => setTimeout(r, 2000));
  }

  // The timed passes: one provider, as the scheduler runs it (the first pass after a start also
  // reads the refs it emitted before from the catalog).
  let sampleAtMutation = () => {};
  const setSampleAtMutation = (sample: () => void) => {
    sampleAtMutation = sample;
  };
  const timedConnection = new RecordingConnection(() => sampleAtMutation());
  const provider = new MlstackModelProvider(options);
  await provider.connect(timedConnection);
  const passes = [];
  for (let i = 0; i < Number(args.passes); i++) {
    const pass = await timedPass(
      provider,
      timedConnection,
      { mlflowProxy: args.mlflow, kubeProxy: args.kube, catalogCalls },
      collect,
      setSampleAtMutation,
    );
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
  collect();
  const memoryBaseline = process.memoryUsage().heapUsed;
  const live: number[] = [];
  let largestPageBytes = 0;
  const memoryConnection = new RecordingConnection(mutation => {
    if (mutation.type !== 'delta' || mutation.added.length === 0) return;
    largestPageBytes = Math.max(
      largestPageBytes,
      Buffer.byteLength(JSON.stringify(mutation.added)),
    );
    collect();
    live.push(process.memoryUsage().heapUsed - memoryBaseline);
  });
  const memoryProvider = new MlstackModelProvider(options);
  await memoryProvider.connect(memoryConnection);
  await memoryProvider.refresh();
  collect();
  const retained = process.memoryUsage().heapUsed - memoryBaseline;

  const times = passes.map(p => p.ms);
  const heapGrowth = passes.map(p => p.peakHeapGrowthMb);
  const last = passes[passes.length - 1];
  const report = {
    claimers,
    models: last.result.models,
    apis: last.result.apis,
    pageSize: settings.pageSize,
    modelReadConcurrency: settings.modelReadConcurrency,
    maxModels: settings.maxModels,
    configuredMaxModels: settings.configuredMaxModels,
    schedule: {
      timeoutMs: settings.timeoutMs,
      frequencyMs: settings.frequencyMs,
    },
    passMs: { p50: quantile(times, 0.5), max: Math.max(...times), all: times },
    mlflowCallsPerPass: passes.map(p => p.mlflowCalls.total),
    mlflowCallsByPath: last.mlflowCalls.byPath,
    kubeCallsPerPass: passes.map(p => p.kubeCalls.total),
    catalogCallsPerPass: passes.map(p => p.catalogCalls),
    pages: last.result.pages,
    largestMutation: Math.max(...passes.map(p => p.result.largestMutation)),
    entitiesPerMutation: last.mutations,
    peakHeapGrowthMb: {
      p50: quantile(heapGrowth, 0.5),
      max: Math.max(...heapGrowth),
      all: heapGrowth,
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
  if (args.out) {
    fs.writeFileSync(args.out, `${JSON.stringify(report, null, 2)}\n`);
  }
  const fits = printCatalogModelsReport(report);
  if (report.models !== claimers || report.apis !== Number(args.services)) {
    console.error(
      `expected ${claimers} models and ${args.services} serving APIs, the pass emitted ${report.models} and ${report.apis}`,
    );
    process.exit(1);
  }
  if (!fits) {
    console.error(
      `a pass took ${report.passMs.max} ms, longer than the schedule timeout (${settings.timeoutMs} ms)`,
    );
    process.exit(1);
  }
}

if (require.main === module) {
  runMain(main);
}
