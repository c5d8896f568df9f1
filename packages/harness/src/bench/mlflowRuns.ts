/**
 * Times the first runs page through the backend against the same runs/search page called
 * directly (through the counting proxy the backend uses), and counts MLflow calls per page load.
 * Prints a table; writes JSON (--out).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/mlflowRuns.ts \
 *     --backend URL --proxy URL --experiment-id ID --runs N --out FILE [--iterations 100]
 */
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { requireOptions, runMain } from '../cli';
import { BenchBackend } from './benchBackend';
import type { ProxyStats } from './countingProxy';
import { quantile, timed } from './measure';

const PAGE_SIZE = 25;
const ORDER_BY = 'attributes.start_time DESC';
const ENTITY = 'component/default/bench-project';

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      proxy: { type: 'string' },
      'experiment-id': { type: 'string' },
      runs: { type: 'string' },
      out: { type: 'string' },
      iterations: { type: 'string', default: '100' },
    },
  });
  const args = requireOptions(values, [
    'backend',
    'proxy',
    'experiment-id',
    'runs',
    'out',
  ]);
  const backend = new BenchBackend(args.backend, ENTITY);
  const mlflowRoutes = `${backend.url}/api/mlops/entities/${ENTITY}/mlflow`;

  const direct = () =>
    fetch(`${args.proxy}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        experiment_ids: [args['experiment-id']],
        max_results: PAGE_SIZE,
        order_by: [ORDER_BY],
      }),
    }).then(r => r.json());
  const viaBackend = async () => {
    const r = await fetch(
      `${mlflowRoutes}/runs?maxResults=${PAGE_SIZE}&orderBy=${encodeURIComponent(
        ORDER_BY,
      )}`,
      { headers: backend.headers },
    );
    if (!r.ok) {
      throw new Error(`backend runs page: ${r.status} ${await r.text()}`);
    }
    return r.json();
  };

  await backend.signIn();
  await backend.waitForEntity();

  // Upstream calls of one cold page load, as the MLflow tab does it: experiments, then runs.
  await fetch(`${args.proxy}/__reset`);
  await fetch(`${mlflowRoutes}/experiments`, { headers: backend.headers });
  const page = await viaBackend();
  const stats: ProxyStats = await (await fetch(`${args.proxy}/__stats`)).json();

  // Warm up both paths, then alternate them.
  for (let i = 0; i < 5; i++) {
    await direct();
    await viaBackend();
  }
  const d: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < Number(args.iterations); i++) {
    d.push((await timed(direct)).ms);
    b.push((await timed(viaBackend)).ms);
  }
  const result = {
    seededRuns: Number(args.runs),
    pageSize: PAGE_SIZE,
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
    `MLflow runs page (${result.seededRuns} runs, page of ${PAGE_SIZE}):`,
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
}

if (require.main === module) {
  runMain(main);
}
