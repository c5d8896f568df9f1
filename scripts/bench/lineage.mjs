// Times the lineage route for a model of many versions (200) served by 20 InferenceServices,
// counts its upstream calls by path (MLflow and the API server each behind a counting proxy),
// and times each distinct upstream call it makes, made directly through the same proxies, one
// after another. The bounds: calls a constant (independent of the number of versions), and
// the route's p50 at most MAX_RATIO x the p50 of the slowest single upstream call. Prints a
// table; writes JSON.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
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
/** Run ids per runs/search (MLFLOW_RUN_IDS_PER_SEARCH in MlflowClient.ts). */
const RUN_IDS_PER_SEARCH = 200;
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

async function call(url, init) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!res.ok) {
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  }
  return text ? JSON.parse(text) : {};
}

async function memberToken() {
  for (let i = 0; i < 60; i++) {
    const res = await fetch(`${args.backend}/api/auth/guest/refresh`);
    if (res.ok) {
      const { token, identity } = (await res.json()).backstageIdentity;
      if (identity.ownershipEntityRefs.includes('group:default/ml-team')) {
        return token;
      }
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error('the guest never signed in as a member of ml-team');
}

async function waitForEntity(headers) {
  for (let i = 0; i < 60; i++) {
    const res = await fetch(
      `${args.backend}/api/catalog/entities/by-name/${args.entity}`,
      { headers },
    );
    if (res.ok) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(`the bench entity ${args.entity} never appeared`);
}

const headers = { authorization: `Bearer ${await memberToken()}` };
await waitForEntity(headers);
const lineage = () =>
  call(`${args.backend}/api/mlops/entities/${args.entity}/lineage`, {
    headers,
  });

async function timed(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}
const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};
const stats = xs => ({ p50: quantile(xs, 0.5), p95: quantile(xs, 0.95) });

/** The upstream calls of one lineage, by path. */
async function countedLineage() {
  await Promise.all([args.mlflow, args.kube].map(p => fetch(`${p}/__reset`)));
  const body = await lineage();
  const calls = [];
  for (const [name, p] of [
    ['mlflow', args.mlflow],
    ['kube', args.kube],
  ]) {
    const { calls: seen } = await (await fetch(`${p}/__stats`)).json();
    calls.push(...seen.map(c => `${name} ${c}`));
  }
  const byPath = {};
  for (const c of calls) byPath[c] = (byPath[c] ?? 0) + 1;
  return { body, total: calls.length, byPath };
}

// The test backend is a dev server: an edit in the repo (others work in it) restarts it.
// Then wait for it to be ready, sign in again and redo the step.
let backendRestarts = 0;
async function afterRestart(error) {
  if (++backendRestarts > 10) throw error;
  console.error(
    `  (backend restarted? ${error.message.slice(0, 80)}; waiting)`,
  );
  for (let i = 0; i < 180; i++) {
    const ready = await fetch(
      `${args.backend}/.backstage/health/v1/readiness`,
    ).then(
      r => r.ok,
      () => false,
    );
    if (ready) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  headers.authorization = `Bearer ${await memberToken()}`;
  await waitForEntity(headers);
}
async function surviving(step) {
  for (;;) {
    try {
      return await step();
    } catch (error) {
      await afterRestart(error);
    }
  }
}

const cold = await surviving(countedLineage);
const warm = await surviving(countedLineage);

// The same reads made directly (the kube ones with the backend's service account token).
const mlflowApi = `${args.mlflow}/api/2.0/mlflow`;
const versions = await call(
  `${mlflowApi}/model-versions/search?${new URLSearchParams({
    filter: `name='${args.model}'`,
  })}`,
);
const runIds = [
  ...new Set(
    versions.model_versions
      .sort((a, b) => Number(b.version) - Number(a.version))
      .map(v => v.run_id),
  ),
];
const kubeHeaders = { authorization: `Bearer ${args.token}` };
const kubeList = (resource, labelSelector) =>
  call(
    `${args.kube}/apis/${resource}?${new URLSearchParams({ labelSelector })}`,
    { headers: kubeHeaders },
  );
const direct = [
  [
    'mlflow GET registered-models/get',
    () =>
      call(
        `${mlflowApi}/registered-models/get?${new URLSearchParams({
          name: args.model,
        })}`,
      ),
  ],
  [
    `mlflow GET model-versions/search (${versions.model_versions.length} versions)`,
    () =>
      call(
        `${mlflowApi}/model-versions/search?${new URLSearchParams({
          filter: `name='${args.model}'`,
        })}`,
      ),
  ],
  [
    `mlflow POST runs/search (${Math.min(
      RUN_IDS_PER_SEARCH,
      runIds.length,
    )} run ids)`,
    () =>
      call(`${mlflowApi}/runs/search`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          experiment_ids: [args['experiment-id']],
          filter: `attributes.run_id IN (${runIds
            .slice(0, RUN_IDS_PER_SEARCH)
            .map(id => `'${id}'`)
            .join(',')})`,
          run_view_type: 'ALL',
          max_results: RUN_IDS_PER_SEARCH,
        }),
      }),
  ],
  [
    'kube GET inferenceservices (selector)',
    () =>
      kubeList(
        `serving.kserve.io/v1beta1/namespaces/${args.namespace}/inferenceservices`,
        args.selector,
      ),
  ],
  [
    'kube GET workflows (selector)',
    () =>
      kubeList(
        `argoproj.io/v1alpha1/namespaces/${args.namespace}/workflows`,
        args.selector,
      ),
  ],
];

async function directOnce() {
  const ms = [];
  for (const [, fn] of direct) {
    ms.push((await timed(fn)).ms);
  }
  return ms;
}
for (let i = 0; i < Number(args.warmup); i++) {
  await directOnce();
  await surviving(lineage);
}
const perCall = direct.map(() => []);
const route = [];
while (route.length < Number(args.iterations)) {
  const ms = await directOnce();
  let t;
  try {
    t = await timed(lineage);
  } catch (error) {
    await afterRestart(error);
    continue;
  }
  ms.forEach((m, j) => perCall[j].push(m));
  route.push(t.ms);
}

const directCalls = Object.fromEntries(
  direct.map(([name], j) => [name, stats(perCall[j])]),
);
const [slowestName, slowest] = Object.entries(directCalls).sort(
  (a, b) => b[1].p50 - a[1].p50,
)[0];
const body = cold.body;
const kinds = {};
for (const n of body.nodes) kinds[n.kind] = (kinds[n.kind] ?? 0) + 1;
const gapReasons = {};
for (const g of body.gaps)
  gapReasons[g.reason] = (gapReasons[g.reason] ?? 0) + 1;
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
  routeMs: stats(route),
  directCallsMs: directCalls,
  slowestDirectCall: slowestName,
  ratioP50: quantile(route, 0.5) / slowest.p50,
  maxRatio: MAX_RATIO,
  backendRestarts,
};
result.withinBounds =
  cold.total <= MAX_COLD_CALLS &&
  warm.total <= MAX_CALLS &&
  result.ratioP50 <= MAX_RATIO;
fs.writeFileSync(args.out, JSON.stringify(result, null, 2));

const f = x => x.toFixed(1).padStart(7);
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
for (const path of new Set([
  ...Object.keys(cold.byPath),
  ...Object.keys(warm.byPath),
])) {
  console.log(
    `    ${String(cold.byPath[path] ?? 0).padStart(2)} cold ${String(
      warm.byPath[path] ?? 0,
    ).padStart(2)} warm  ${path}`,
  );
}
console.log(
  `  direct calls, ${result.iterations} iterations after ${result.warmupIterations} warm-up:   p50 ms   p95 ms`,
);
for (const [name, s] of Object.entries(directCalls)) {
  console.log(`    ${name.padEnd(46)}${f(s.p50)}  ${f(s.p95)}`);
}
console.log(
  `  through the backend (lineage route)           ${f(
    result.routeMs.p50,
  )}  ${f(result.routeMs.p95)}`,
);
console.log(
  `  ratio (p50) to the slowest direct call (${slowestName}): ${result.ratioP50.toFixed(
    2,
  )}x (bound ${MAX_RATIO}x)`,
);
console.log(
  result.withinBounds
    ? `  within the bounds (calls <= ${MAX_CALLS} warm, ${MAX_COLD_CALLS} cold; ratio <= ${MAX_RATIO}x)`
    : `  OUTSIDE the bounds (calls <= ${MAX_CALLS} warm, ${MAX_COLD_CALLS} cold; ratio <= ${MAX_RATIO}x)`,
);
