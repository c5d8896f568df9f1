// Times the first runs page through the backend against the same runs/search page called
// directly, and counts MLflow calls per page load. Prints a table; writes JSON.
import fs from 'node:fs';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string' },
    proxy: { type: 'string' },
    'experiment-id': { type: 'string' },
    runs: { type: 'string' },
    out: { type: 'string' },
    iterations: { type: 'string', default: '100' },
  },
});
const pageSize = 25;
const entity = `${args.backend}/api/mlops/entities/component/default/bench-project/mlflow`;
const orderBy = 'attributes.start_time DESC';

async function guestToken() {
  const res = await fetch(`${args.backend}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

async function waitForEntity(headers) {
  for (let i = 0; i < 60; i++) {
    const res = await fetch(
      `${args.backend}/api/catalog/entities/by-name/component/default/bench-project`,
      { headers },
    );
    if (res.ok) return res.json();
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error('the bench entity never appeared in the catalog');
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  const body = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, body };
}

const direct = () =>
  fetch(`${args.proxy}/api/2.0/mlflow/runs/search`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      experiment_ids: [args['experiment-id']],
      max_results: pageSize,
      order_by: [orderBy],
    }),
  }).then(r => r.json());

const viaBackend = headers => () =>
  fetch(
    `${entity}/runs?maxResults=${pageSize}&orderBy=${encodeURIComponent(
      orderBy,
    )}`,
    { headers },
  ).then(async r => {
    if (!r.ok)
      throw new Error(`backend runs page: ${r.status} ${await r.text()}`);
    return r.json();
  });

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const headers = { authorization: `Bearer ${await guestToken()}` };
await waitForEntity(headers);

// Upstream calls of one cold page load, as the MLflow tab does it: experiments, then runs.
await fetch(`${args.proxy}/__reset`);
await fetch(`${entity}/experiments`, { headers });
const page = await viaBackend(headers)();
const stats = await (await fetch(`${args.proxy}/__stats`)).json();

// Warm up both paths, then alternate them.
for (let i = 0; i < 5; i++) {
  await direct();
  await viaBackend(headers)();
}
const d = [];
const b = [];
for (let i = 0; i < Number(args.iterations); i++) {
  d.push((await timed(direct)).ms);
  b.push((await timed(viaBackend(headers))).ms);
}
const result = {
  seededRuns: Number(args.runs),
  pageSize,
  runsOnPage: page.runs.length,
  iterations: d.length,
  directMs: { p50: quantile(d, 0.5), p90: quantile(d, 0.9) },
  backendMs: { p50: quantile(b, 0.5), p90: quantile(b, 0.9) },
  ratioP50: quantile(b, 0.5) / quantile(d, 0.5),
  upstreamCallsFirstPageLoad: stats.calls,
  largestMaxResultsAsked: stats.maxResults,
};
fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
console.log(
  `MLflow runs page (${result.seededRuns} runs, page of ${pageSize}):`,
);
console.log(
  `  direct runs/search   p50 ${result.directMs.p50.toFixed(
    1,
  )} ms  p90 ${result.directMs.p90.toFixed(1)} ms`,
);
console.log(
  `  through the backend  p50 ${result.backendMs.p50.toFixed(
    1,
  )} ms  p90 ${result.backendMs.p90.toFixed(1)} ms`,
);
console.log(`  ratio (p50)          ${result.ratioP50.toFixed(2)}x`);
console.log(
  `  MLflow calls on a cold page load: ${
    stats.calls.length
  } (${stats.calls.join(', ')})`,
);
console.log(`  largest max_results asked: ${stats.maxResults}`);
