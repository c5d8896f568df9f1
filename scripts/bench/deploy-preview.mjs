// Times the deploy dialog's preview (resolve the version, read its flavors, dry-run create the
// InferenceService) through the backend against the same upstream calls made directly, one
// after another, and counts the calls a preview costs by path (MLflow and the API server each
// behind a counting proxy; the direct calls go through the same proxies). Prints a table;
// writes JSON.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
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
const MAX_CALLS = 6;
const MAX_RATIO = 1.5;
const request = {
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

async function guestIdentity() {
  const res = await fetch(`${args.backend}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity;
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
  throw new Error(
    `the bench entity ${args.entity} never appeared in the catalog`,
  );
}

async function call(url, init, ...okStatuses) {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!(res.ok || okStatuses.includes(res.status))) {
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  }
  return text ? JSON.parse(text) : {};
}

const preview = headers => () =>
  call(
    `${args.backend}/api/mlops/entities/${args.entity}/kserve/deploy/preview`,
    {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify(request),
    },
  );

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

/** The upstream calls of one preview, by path (count per path). */
async function countedPreview(headers) {
  await Promise.all([args.mlflow, args.kube].map(p => fetch(`${p}/__reset`)));
  const body = await preview(headers)();
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

/** A guest token once the catalog has the guest as a member of the entity's owner. */
async function memberToken() {
  for (let i = 0; i < 60; i++) {
    const { token, identity } = await guestIdentity();
    if (identity.ownershipEntityRefs.includes('group:default/ml-team')) {
      return token;
    }
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    'the guest never signed in as a member of group:default/ml-team',
  );
}

const headers = { authorization: `Bearer ${await memberToken()}` };
await waitForEntity(headers);
const cold = await countedPreview(headers);
const warm = await countedPreview(headers);
const { manifest } = cold.body;

// The same calls made directly (the kube ones with the backend's service account token).
const q = new URLSearchParams({ name: args.model, version: args.version });
const mlflowApi = `${args.mlflow}/api/2.0/mlflow`;
const kubeHeaders = {
  authorization: `Bearer ${args.token}`,
  'content-type': 'application/json',
};
const isvcs = `${args.kube}/apis/serving.kserve.io/v1beta1/namespaces/${args.namespace}/inferenceservices`;
const direct = [
  [
    'mlflow GET registered-models/get',
    () =>
      call(
        `${mlflowApi}/registered-models/get?name=${encodeURIComponent(
          args.model,
        )}`,
      ),
  ],
  [
    'mlflow GET model-versions/get',
    () => call(`${mlflowApi}/model-versions/get?${q}`),
  ],
  [
    'mlflow GET model-versions/get-download-uri',
    async () => {
      const { artifact_uri: uri } = await call(
        `${mlflowApi}/model-versions/get-download-uri?${q}`,
      );
      return uri;
    },
  ],
  [
    'mlflow GET mlflow-artifacts/.../MLmodel',
    uri => {
      const path = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.+)$/.exec(uri)[1];
      return fetch(
        `${args.mlflow}/api/2.0/mlflow-artifacts/artifacts/${path}/MLmodel`,
      ).then(r => {
        if (!r.ok) throw new Error(`MLmodel: ${r.status}`);
        return r.text();
      });
    },
  ],
  [
    'kube GET inferenceservices/<name> (404)',
    () => call(`${isvcs}/${args.service}`, { headers: kubeHeaders }, 404),
  ],
  [
    'kube POST inferenceservices?dryRun=All',
    () =>
      call(
        `${isvcs}?dryRun=All&fieldManager=mlstack-portal&fieldValidation=Strict`,
        {
          method: 'POST',
          headers: kubeHeaders,
          body: JSON.stringify(manifest),
        },
      ),
  ],
];
async function directOnce() {
  const ms = [];
  let previous;
  for (const [, fn] of direct) {
    const t = await timed(() => fn(previous));
    previous = t.result;
    ms.push(t.ms);
  }
  return ms;
}

async function warmUp() {
  for (let i = 0; i < Number(args.warmup); i++) {
    await directOnce();
    await preview(headers)();
  }
}

// The test backend is a dev server: an edit in the repo restarts it (new signing keys, empty
// caches). Then wait for it, sign in again, warm up again and redo the iteration.
let backendRestarts = 0;
async function afterRestart(error) {
  if (++backendRestarts > 5) throw error;
  console.error(
    `  (backend restarted? ${
      error.cause?.code ?? error.message.slice(0, 80)
    }; waiting)`,
  );
  for (let i = 0; i < 180; i++) {
    const ok = await fetch(
      `${args.backend}/.backstage/health/v1/readiness`,
    ).then(
      r => r.ok,
      () => false,
    );
    if (ok) break;
    await new Promise(r => setTimeout(r, 1000));
  }
  headers.authorization = `Bearer ${await memberToken()}`;
  await waitForEntity(headers);
  await warmUp();
}

await warmUp();
const perCall = direct.map(() => []);
const sums = [];
const route = [];
while (route.length < Number(args.iterations)) {
  const ms = await directOnce();
  let t;
  try {
    t = await timed(preview(headers));
  } catch (error) {
    await afterRestart(error);
    continue;
  }
  ms.forEach((m, j) => perCall[j].push(m));
  sums.push(ms.reduce((a, b) => a + b, 0));
  route.push(t.ms);
}
const directCalls = Object.fromEntries(
  direct.map(([name], j) => [name, stats(perCall[j])]),
);
const dominant = Object.entries(directCalls).sort(
  (a, b) => b[1].p50 - a[1].p50,
)[0];
const result = {
  route: `POST /api/mlops/entities/${args.entity}/kserve/deploy/preview`,
  request,
  action: cold.body.action,
  flavors: cold.body.model?.flavors,
  runtime: cold.body.model?.runtime?.name,
  storageUri: cold.body.model?.storageUri,
  upstreamCallsColdPreview: { total: cold.total, byPath: cold.byPath },
  upstreamCallsWarmPreview: { total: warm.total, byPath: warm.byPath },
  maxCalls: MAX_CALLS,
  warmupIterations: Number(args.warmup),
  iterations: route.length,
  routeMs: stats(route),
  directSumMs: stats(sums),
  directCallsMs: directCalls,
  slowestDirectCall: dominant[0],
  ratioP50: quantile(route, 0.5) / quantile(sums, 0.5),
  maxRatio: MAX_RATIO,
  backendRestarts,
};
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
result.coldExtraCalls = coldExtra;
result.withinBounds =
  warm.total <= MAX_CALLS && onlyOwnerReadExtra && result.ratioP50 <= MAX_RATIO;
fs.writeFileSync(args.out, JSON.stringify(result, null, 2));

const f = x => x.toFixed(1).padStart(7);
console.log(
  `Deploy preview (${args.model} v${args.version} -> ${args.cluster}/${args.namespace}, ${result.action}, ${result.runtime}):`,
);
console.log(
  `  upstream calls per preview: warm ${warm.total} (bound ${MAX_CALLS}); cold ${cold.total} (+ the namespace owner read, kept 30 s)`,
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
  `  sum of the direct calls                       ${f(
    result.directSumMs.p50,
  )}  ${f(result.directSumMs.p95)}`,
);
console.log(
  `  through the backend (preview route)           ${f(
    result.routeMs.p50,
  )}  ${f(result.routeMs.p95)}`,
);
console.log(
  `  ratio (p50)          ${result.ratioP50.toFixed(
    2,
  )}x (bound ${MAX_RATIO}x); slowest direct call: ${dominant[0]}`,
);
if (backendRestarts)
  console.log(
    `  the backend restarted ${backendRestarts} time(s) meanwhile (iterations redone)`,
  );
const over = [
  !onlyOwnerReadExtra &&
    `a cold preview makes more calls than the namespace owner read: ${coldExtra.join(
      ', ',
    )}`,
  warm.total > MAX_CALLS && `a warm preview makes ${warm.total} calls`,
  result.ratioP50 > MAX_RATIO &&
    `the p50 ratio is ${result.ratioP50.toFixed(2)}x`,
].filter(Boolean);
console.log(
  over.length
    ? `  OUTSIDE the bounds (calls <= ${MAX_CALLS}, ratio <= ${MAX_RATIO}x): ${over.join(
        '; ',
      )}`
    : `  within the bounds (calls <= ${MAX_CALLS}, ratio <= ${MAX_RATIO}x)`,
);
