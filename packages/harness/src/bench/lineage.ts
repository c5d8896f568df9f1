/**
 * Times the lineage route for a model of many versions (200) served by 20 InferenceServices,
 * counts its upstream calls by path (MLflow and the API server each behind a counting proxy),
 * and times each distinct upstream call it makes, made directly through the same proxies, one
 * after another. The bounds: calls a constant (independent of the number of versions), and
 * the route's p50 at most MAX_RATIO x the p50 of the slowest single upstream call. Prints a
 * table; writes JSON (--out).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/lineage.ts \
 *     --backend URL --mlflow PROXY_URL --kube PROXY_URL --token TOKEN --namespace NS \
 *     --selector SELECTOR --model NAME --experiment-id ID --out FILE [--entity REF] \
 *     [--iterations 50] [--warmup 5]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { requireOptions, runMain } from '../cli';
import { BenchBackend, callJson, countUpstreamCalls } from './benchBackend';
import { directLineageCalls } from './lineageCalls';
import { countBy, fixed7, percentiles, quantile, timed } from './measure';
import { printCallsByPath, printDirectCalls } from './report';

/**
 * Upstream calls per lineage, at most, whatever the number of versions (up to
 * LINEAGE_MAX_VERSIONS = 200 shown): registered-models/get 1, model-versions/search 1,
 * runs/search 1 (200 ids a call), experiments/get-by-name 1 (cached), InferenceService lists 2
 * (selector, deployed-for label), workflow list 1 (none when the watch cache serves), the
 * namespace's owner 1 (kept 30 s).
 */
const MAX_CALLS = 8;
/**
 * The first lineage of an entity also starts the workflow watch cache (its list and watch)
 * and reads the namespace's owner for the services and the workflows at once (not yet kept).
 */
const MAX_COLD_CALLS = MAX_CALLS + 3;
const MAX_RATIO = 2;
const MAX_RESTARTS = 10;

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      mlflow: { type: 'string' },
      kube: { type: 'string' },
      token: { type: 'string' },
      namespace: { type: 'string' },
      selector: { type: 'string' },
      model: { type: 'string' },
      'experiment-id': { type: 'string' },
      entity: {
        type: 'string',
        default: 'component/default/bench-lineage-project',
      },
      out: { type: 'string' },
      iterations: { type: 'string', default: '50' },
      warmup: { type: 'string', default: '5' },
    },
  });
  const args = requireOptions(values, [
    'backend',
    'mlflow',
    'kube',
    'token',
    'namespace',
    'selector',
    'model',
    'experiment-id',
    'out',
  ]);
  const backend = new BenchBackend(args.backend, args.entity);
  const lineage = () =>
    callJson(`${backend.url}/api/mlops/entities/${args.entity}/lineage`, {
      headers: backend.headers,
    });
  const proxies = { mlflow: args.mlflow, kube: args.kube };
  const countedLineage = () => countUpstreamCalls(proxies, lineage);
  // The test backend is a dev server: an edit in the repo (others work in it) restarts it.
  // Then wait for it to be ready, sign in again and redo the step.
  async function surviving<T>(step: () => Promise<T>): Promise<T> {
    for (;;) {
      try {
        return await step();
      } catch (error) {
        await backend.recoverFromRestart(error, MAX_RESTARTS);
      }
    }
  }

  await backend.signInAsMember();
  await backend.waitForEntity();
  const cold = await surviving(countedLineage);
  const warm = await surviving(countedLineage);
  const direct = await directLineageCalls({
    ...args,
    experimentId: args['experiment-id'],
  });
  async function directOnce() {
    const ms: number[] = [];
    for (const [, call] of direct) {
      ms.push((await timed(call)).ms);
    }
    return ms;
  }
  for (let i = 0; i < Number(args.warmup); i++) {
    await directOnce();
    await surviving(lineage);
  }
  const perCall: number[][] = direct.map(() => []);
  const route: number[] = [];
  while (route.length < Number(args.iterations)) {
    const ms = await directOnce();
    let t;
    try {
      t = await timed(lineage);
    } catch (error) {
      await backend.recoverFromRestart(error, MAX_RESTARTS);
      continue;
    }
    ms.forEach((m, j) => perCall[j].push(m));
    route.push(t.ms);
  }

  const directCalls = Object.fromEntries(
    direct.map(([name], j) => [name, percentiles(perCall[j])]),
  );
  const [slowestName, slowest] = Object.entries(directCalls).sort(
    (a, b) => b[1].p50 - a[1].p50,
  )[0];
  const body = cold.result;
  const kinds = countBy(body.nodes.map((n: { kind: string }) => n.kind));
  const gapReasons = countBy(
    body.gaps.map((g: { reason: string }) => g.reason),
  );
  const ratioP50 = quantile(route, 0.5) / slowest.p50;
  const result = {
    route: `GET /api/mlops/entities/${args.entity}/lineage`,
    model: args.model,
    versionsInRegistry: body.versions.length,
    nodesByKind: kinds,
    edges: body.edges.length,
    gapsByReason: gapReasons,
    upstreamCallsCold: { total: cold.total, byPath: cold.byPath },
    upstreamCallsWarm: { total: warm.total, byPath: warm.byPath },
    maxCalls: MAX_CALLS,
    maxColdCalls: MAX_COLD_CALLS,
    warmupIterations: Number(args.warmup),
    iterations: route.length,
    routeMs: percentiles(route),
    directCallsMs: directCalls,
    slowestDirectCall: slowestName,
    ratioP50,
    maxRatio: MAX_RATIO,
    backendRestarts: backend.restarts,
    withinBounds:
      cold.total <= MAX_COLD_CALLS &&
      warm.total <= MAX_CALLS &&
      ratioP50 <= MAX_RATIO,
  };
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2));

  console.log(
    `Lineage (${args.model}: ${result.versionsInRegistry} versions; ${
      kinds.modelVersion ?? 0
    } shown, ${kinds.inferenceService ?? 0} services, ${
      result.edges
    } edges; gaps ${JSON.stringify(gapReasons)}):`,
  );
  console.log(
    `  upstream calls per lineage: cold ${cold.total} (bound ${MAX_COLD_CALLS}: + the watch cache's list and watch, a second owner read), warm ${warm.total} (bound ${MAX_CALLS})`,
  );
  printCallsByPath(cold.byPath, warm.byPath);
  printDirectCalls(result.iterations, result.warmupIterations, directCalls);
  console.log(
    `  through the backend (lineage route)           ${fixed7(
      result.routeMs.p50,
    )}  ${fixed7(result.routeMs.p95)}`,
  );
  console.log(
    `  ratio (p50) to the slowest direct call (${slowestName}): ${ratioP50.toFixed(
      2,
    )}x (bound ${MAX_RATIO}x)`,
  );
  const bounds = `(calls <= ${MAX_CALLS} warm, ${MAX_COLD_CALLS} cold; ratio <= ${MAX_RATIO}x)`;
  console.log(
    result.withinBounds
      ? `  within the bounds ${bounds}`
      : `  OUTSIDE the bounds ${bounds}`,
  );
}

if (require.main === module) {
  runMain(main);
}
