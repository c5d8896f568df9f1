/**
 * Times the first Argo runs page through the backend against the same page listed directly
 * from the API server (same selector, same limit), and reports the payload of each page.
 * Prints a table; writes JSON (--out).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/argoWorkflows.ts \
 *     --backend URL --server URL --token TOKEN --ca FILE --namespace NS --selector SELECTOR \
 *     --workflows N --out FILE [--entity KIND/NAMESPACE/NAME] [--iterations 100]
 */
import fs from 'node:fs';
import https from 'node:https';
import { parseArgs } from 'node:util';
import { requireOptions, runMain } from '../cli';
import { BenchBackend } from './benchBackend';
import { quantile, timed } from './measure';

const PAGE_SIZE = 25;

interface Page {
  bytes: number;
  body: any;
}

/** GET over https with the API server's CA and a bearer token. */
function getHttps(url: string, agent: https.Agent, token: string) {
  return new Promise<Page>((resolve, reject) => {
    https
      .get(
        url,
        { agent, headers: { authorization: `Bearer ${token}` } },
        res => {
          const chunks: Buffer[] = [];
          res.on('data', c => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode !== 200) {
              reject(new Error(`API server list: ${res.statusCode} ${text}`));
            } else {
              resolve({
                bytes: Buffer.byteLength(text),
                body: JSON.parse(text),
              });
            }
          });
        },
      )
      .on('error', reject);
  });
}

async function main() {
  const { values } = parseArgs({
    options: {
      backend: { type: 'string' },
      server: { type: 'string' },
      token: { type: 'string' },
      ca: { type: 'string' },
      namespace: { type: 'string' },
      selector: { type: 'string' },
      entity: {
        type: 'string',
        default: 'component/default/bench-argo-project',
      },
      workflows: { type: 'string' },
      out: { type: 'string' },
      iterations: { type: 'string', default: '100' },
    },
  });
  const args = requireOptions(values, [
    'backend',
    'server',
    'token',
    'ca',
    'namespace',
    'selector',
    'workflows',
    'out',
  ]);
  const agent = new https.Agent({
    ca: fs.readFileSync(args.ca),
    keepAlive: true,
  });
  const direct = () =>
    getHttps(
      `${args.server}/apis/argoproj.io/v1alpha1/namespaces/${
        args.namespace
      }/workflows?${new URLSearchParams({
        labelSelector: args.selector,
        limit: String(PAGE_SIZE),
      })}`,
      agent,
      args.token,
    );
  const backend = new BenchBackend(args.backend, args.entity);
  const routes = `${backend.url}/api/mlops/entities/${args.entity}/argo`;
  const viaBackend = (continueToken?: string) => async (): Promise<Page> => {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE) });
    if (continueToken) query.set('continue', continueToken);
    const res = await fetch(`${routes}/workflows?${query}`, {
      headers: backend.headers,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`backend runs page: ${res.status} ${text}`);
    return { bytes: Buffer.byteLength(text), body: JSON.parse(text) };
  };

  await backend.signIn();
  await backend.waitForEntity();

  // Every page through the backend: its size, and that paging reaches every workflow once.
  const seen = new Set<string>();
  let largestPageBytes = 0;
  let pages = 0;
  let continueToken: string | undefined;
  let firstPageMs: number | undefined;
  do {
    const { ms, result: page } = await timed(viaBackend(continueToken));
    firstPageMs ??= ms;
    pages++;
    largestPageBytes = Math.max(largestPageBytes, page.bytes);
    page.body.items.forEach((w: { name: string }) => seen.add(w.name));
    continueToken = page.body.continue;
  } while (continueToken);
  const directPage = await direct();

  for (let i = 0; i < 5; i++) {
    await direct();
    await viaBackend()();
  }
  const d: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < Number(args.iterations); i++) {
    d.push((await timed(direct)).ms);
    b.push((await timed(viaBackend())).ms);
  }
  const result = {
    seededWorkflows: Number(args.workflows),
    pageSize: PAGE_SIZE,
    pagesWalked: pages,
    distinctWorkflowsPaged: seen.size,
    largestBackendPageBytes: largestPageBytes,
    directPageBytes: directPage.bytes,
    firstBackendPageMs: firstPageMs ?? 0,
    iterations: d.length,
    directMs: { p50: quantile(d, 0.5), p90: quantile(d, 0.9) },
    backendMs: { p50: quantile(b, 0.5), p90: quantile(b, 0.9) },
    ratioP50: quantile(b, 0.5) / quantile(d, 0.5),
  };
  fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
  const kb = (bytes: number) => (bytes / 1024).toFixed(1);
  console.log(
    `Argo runs page (${result.seededWorkflows} workflows, page of ${PAGE_SIZE}):`,
  );
  console.log(
    `  direct list          p50 ${result.directMs.p50.toFixed(
      1,
    )} ms  p90 ${result.directMs.p90.toFixed(1)} ms  ${kb(
      result.directPageBytes,
    )} KB`,
  );
  console.log(
    `  through the backend  p50 ${result.backendMs.p50.toFixed(
      1,
    )} ms  p90 ${result.backendMs.p90.toFixed(1)} ms  largest page ${kb(
      result.largestBackendPageBytes,
    )} KB`,
  );
  console.log(
    `  first page through the backend (its cache filled by listing all ${
      result.seededWorkflows
    }): ${result.firstBackendPageMs.toFixed(0)} ms`,
  );
  console.log(`  ratio (p50)          ${result.ratioP50.toFixed(2)}x`);
  console.log(`  paging: ${pages} pages, ${seen.size} distinct workflows`);
}

if (require.main === module) {
  runMain(main);
}
