// Times the first Argo runs page through the backend against the same page listed directly
// from the API server (same selector, same limit), and reports the payload of each page.
// Prints a table; writes JSON.
import fs from 'node:fs';
import https from 'node:https';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    backend: { type: 'string' },
    server: { type: 'string' },
    token: { type: 'string' },
    ca: { type: 'string' },
    namespace: { type: 'string' },
    selector: { type: 'string' },
    entity: { type: 'string', default: 'component/default/bench-argo-project' },
    workflows: { type: 'string' },
    out: { type: 'string' },
    iterations: { type: 'string', default: '100' },
  },
});
const pageSize = 25;
const agent = new https.Agent({
  ca: fs.readFileSync(args.ca),
  keepAlive: true,
});
const routes = `${args.backend}/api/mlops/entities/${args.entity}/argo`;

function getHttps(url) {
  return new Promise((resolve, reject) => {
    https
      .get(
        url,
        { agent, headers: { authorization: `Bearer ${args.token}` } },
        res => {
          const chunks = [];
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

const direct = () =>
  getHttps(
    `${args.server}/apis/argoproj.io/v1alpha1/namespaces/${args.namespace}/workflows?` +
      new URLSearchParams({
        labelSelector: args.selector,
        limit: String(pageSize),
      }),
  );

const viaBackend = (headers, continueToken) => async () => {
  const query = new URLSearchParams({ limit: String(pageSize) });
  if (continueToken) query.set('continue', continueToken);
  const res = await fetch(`${routes}/workflows?${query}`, { headers });
  const text = await res.text();
  if (!res.ok) throw new Error(`backend runs page: ${res.status} ${text}`);
  return { bytes: Buffer.byteLength(text), body: JSON.parse(text) };
};

async function guestToken() {
  const res = await fetch(`${args.backend}/api/auth/guest/refresh`);
  if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
  return (await res.json()).backstageIdentity.token;
}

async function waitForEntity(headers) {
  for (let i = 0; i < 60; i++) {
    const res = await fetch(
      `${args.backend}/api/catalog/entities/by-name/${args.entity}`,
      {
        headers,
      },
    );
    if (res.ok) return;
    await new Promise(r => setTimeout(r, 1000));
  }
  throw new Error(
    `the bench entity ${args.entity} never appeared in the catalog`,
  );
}

async function timed(fn) {
  const start = process.hrtime.bigint();
  const result = await fn();
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, result };
}

const quantile = (xs, q) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
};

const headers = { authorization: `Bearer ${await guestToken()}` };
await waitForEntity(headers);

// Every page through the backend: its size, and that paging reaches every workflow once.
const seen = new Set();
let largestPageBytes = 0;
let pages = 0;
let continueToken;
let firstPageMs;
do {
  const { ms, result: page } = await timed(viaBackend(headers, continueToken));
  const { bytes, body } = page;
  firstPageMs ??= ms;
  pages++;
  largestPageBytes = Math.max(largestPageBytes, bytes);
  body.items.forEach(w => seen.add(w.name));
  continueToken = body.continue;
} while (continueToken);
const directPage = await direct();

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
  seededWorkflows: Number(args.workflows),
  pageSize,
  pagesWalked: pages,
  distinctWorkflowsPaged: seen.size,
  largestBackendPageBytes: largestPageBytes,
  directPageBytes: directPage.bytes,
  firstBackendPageMs: firstPageMs,
  iterations: d.length,
  directMs: { p50: quantile(d, 0.5), p90: quantile(d, 0.9) },
  backendMs: { p50: quantile(b, 0.5), p90: quantile(b, 0.9) },
  ratioP50: quantile(b, 0.5) / quantile(d, 0.5),
};
fs.writeFileSync(args.out, JSON.stringify(result, null, 2));
console.log(
  `Argo runs page (${result.seededWorkflows} workflows, page of ${pageSize}):`,
);
console.log(
  `  direct list          p50 ${result.directMs.p50.toFixed(
    1,
  )} ms  p90 ${result.directMs.p90.toFixed(1)} ms  ${(
    result.directPageBytes / 1024
  ).toFixed(1)} KB`,
);
console.log(
  `  through the backend  p50 ${result.backendMs.p50.toFixed(
    1,
  )} ms  p90 ${result.backendMs.p90.toFixed(1)} ms  largest page ${(
    result.largestBackendPageBytes / 1024
  ).toFixed(1)} KB`,
);
console.log(
  `  first page through the backend (its cache filled by listing all ${
    result.seededWorkflows
  }): ${result.firstBackendPageMs.toFixed(0)} ms`,
);
console.log(`  ratio (p50)          ${result.ratioP50.toFixed(2)}x`);
console.log(`  paging: ${pages} pages, ${seen.size} distinct workflows`);
