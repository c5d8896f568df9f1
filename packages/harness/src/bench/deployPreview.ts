/**
 * Times the deploy dialog's preview (resolve the version, read its flavors, dry-run create the
 * InferenceService) through the backend against the same upstream calls made directly, one
 * after another, and counts the calls a preview costs by path (MLflow and the API server each
 * behind a counting proxy; the direct calls go through the same proxies). Prints a table;
 * writes JSON (--out).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/deployPreview.ts \
 *     --backend URL --mlflow PROXY_URL --kube PROXY_URL --token TOKEN --cluster NAME \
 *     --namespace NS --model NAME --out FILE [--version 1] [--service NAME] [--entity REF] \
 *     [--iterations 100] [--warmup 10]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { requireOptions, runMain } from '../cli';
import { BenchBackend, callJson, countUpstreamCalls } from './benchBackend';
import {
  type DeployPreviewRequest,
  directPreviewCalls,
} from './deployPreviewCalls';
import { fixed7, percentiles, quantile, timed } from './measure';
import { printCallsByPath, printDirectCalls } from './report';

const MAX_CALLS = 6;
const MAX_RATIO = 1.5;
const MAX_RESTARTS = 5;

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      mlflow: { type: 'string' },
      kube: { type: 'string' },
      token: { type: 'string' },
      cluster: { type: 'string' },
      namespace: { type: 'string' },
      model: { type: 'string' },
      version: { type: 'string', default: '1' },
      service: { type: 'string', default: 'bench-deploy-preview' },
      entity: {
        type: 'string',
        default: 'component/default/bench-deploy-project',
      },
      out: { type: 'string' },
      iterations: { type: 'string', default: '100' },
      warmup: { type: 'string', default: '10' },
    },
  });
  const args = requireOptions(values, [
    'backend',
    'mlflow',
    'kube',
    'token',
    'cluster',
    'namespace',
    'model',
    'out',
  ]);
  const request: DeployPreviewRequest = {
    source: {
      type: 'modelVersion',
      modelName: args.model,
      version: args.version,
    },
    target: { cluster: args.cluster, namespace: args.namespace },
    serviceName: args.service,
    mode: 'Standard',
    canaryTrafficPercent: 0,
  };
  const backend = new BenchBackend(args.backend, args.entity);
  const preview = () =>
    callJson(
      `${backend.url}/api/mlops/entities/${args.entity}/kserve/deploy/preview`,
      {
        method: 'POST',
        headers: { ...backend.headers, 'content-type': 'application/json' },
        body: JSON.stringify(request),
      },
    );
  const proxies = { mlflow: args.mlflow, kube: args.kube };

  await backend.signInAsMember();
  await backend.waitForEntity();
  const cold = await countUpstreamCalls(proxies, preview);
  const warm = await countUpstreamCalls(proxies, preview);
  const direct = directPreviewCalls({
    ...args,
    manifest: cold.result.manifest,
  });

  async function directOnce() {
    const ms: number[] = [];
    let previous: unknown;
    for (const [, call] of direct) {
      const input = previous;
      const t = await timed(() => call(input));
      previous = t.result;
      ms.push(t.ms);
    }
    return ms;
  }
  async function warmUp() {
    for (let i = 0; i < Number(args.warmup); i++) {
      await directOnce();
      await preview();
    }
  }

  // The test backend is a dev server: an edit in the repo restarts it (new signing keys, empty
  // caches). Then wait for it, sign in again, warm up again and redo the iteration.
  await warmUp();
  const perCall: number[][] = direct.map(() => []);
  const sums: number[] = [];
  const route: number[] = [];
  while (route.length < Number(args.iterations)) {
    const ms = await directOnce();
    let t;
    try {
      t = await timed(preview);
    } catch (error) {
      await backend.recoverFromRestart(error, MAX_RESTARTS);
      await warmUp();
      continue;
    }
    ms.forEach((m, j) => perCall[j].push(m));
    sums.push(ms.reduce((a, b) => a + b, 0));
    route.push(t.ms);
  }
  const directCalls = Object.fromEntries(
    direct.map(([name], j) => [name, percentiles(perCall[j])]),
  );
  const [slowestName] = Object.entries(directCalls).sort(
    (a, b) => b[1].p50 - a[1].p50,
  )[0];
  // The bound is per preview; the first preview of a namespace (or the first after its owner's
  // 30 s cache expired) also reads the namespace's owner annotation, and nothing else.
  const coldExtra = Object.keys(cold.byPath).filter(
    path => (cold.byPath[path] ?? 0) > (warm.byPath[path] ?? 0),
  );
  const onlyOwnerReadExtra =
    cold.total - warm.total <= 1 &&
    coldExtra.every(path =>
      new RegExp(`^kube GET /api/v1/namespaces/${args.namespace}$`).test(path),
    );
  const ratioP50 = quantile(route, 0.5) / quantile(sums, 0.5);
  const result = {
    route: `POST /api/mlops/entities/${args.entity}/kserve/deploy/preview`,
    request,
    action: cold.result.action,
    flavors: cold.result.model?.flavors,
    runtime: cold.result.model?.runtime?.name,
    storageUri: cold.result.model?.storageUri,
    upstreamCallsColdPreview: { total: cold.total, byPath: cold.byPath },
    upstreamCallsWarmPreview: { total: warm.total, byPath: warm.byPath },
    maxCalls: MAX_CALLS,
    warmupIterations: Number(args.warmup),
    iterations: route.length,
    routeMs: percentiles(route),
    directSumMs: percentiles(sums),
    directCallsMs: directCalls,
    slowestDirectCall: slowestName,
    ratioP50,
    maxRatio: MAX_RATIO,
    backendRestarts: backend.restarts,
    coldExtraCalls: coldExtra,
    withinBounds:
      warm.total <= MAX_CALLS && onlyOwnerReadExtra && ratioP50 <= MAX_RATIO,
  };
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2));

  console.log(
    `Deploy preview (${args.model} v${args.version} -> ${args.cluster}/${args.namespace}, ${result.action}, ${result.runtime}):`,
  );
  console.log(
    `  upstream calls per preview: warm ${warm.total} (bound ${MAX_CALLS}); cold ${cold.total} (+ the namespace owner read, kept 30 s)`,
  );
  printCallsByPath(cold.byPath, warm.byPath);
  printDirectCalls(result.iterations, result.warmupIterations, directCalls);
  console.log(
    `  sum of the direct calls                       ${fixed7(
      result.directSumMs.p50,
    )}  ${fixed7(result.directSumMs.p95)}`,
  );
  console.log(
    `  through the backend (preview route)           ${fixed7(
      result.routeMs.p50,
    )}  ${fixed7(result.routeMs.p95)}`,
  );
  console.log(
    `  ratio (p50)          ${ratioP50.toFixed(
      2,
    )}x (bound ${MAX_RATIO}x); slowest direct call: ${slowestName}`,
  );
  if (backend.restarts) {
    console.log(
      `  the backend restarted ${backend.restarts} time(s) meanwhile (iterations redone)`,
    );
  }
  const over = [
    !onlyOwnerReadExtra &&
      `a cold preview makes more calls than the namespace owner read: ${coldExtra.join(
        ', ',
      )}`,
    warm.total > MAX_CALLS && `a warm preview makes ${warm.total} calls`,
    ratioP50 > MAX_RATIO && `the p50 ratio is ${ratioP50.toFixed(2)}x`,
  ].filter(Boolean);
  console.log(
    over.length
      ? `  OUTSIDE the bounds (calls <= ${MAX_CALLS}, ratio <= ${MAX_RATIO}x): ${over.join(
          '; ',
        )}`
      : `  within the bounds (calls <= ${MAX_CALLS}, ratio <= ${MAX_RATIO}x)`,
  );
}

if (require.main === module) {
  runMain(main);
}
