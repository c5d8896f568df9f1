#!/usr/bin/env node
// Renders a software template with the portal's real scaffolder: POST /api/scaffolder/v2/dry-run
// (the API behind the template editor), the way the editor sends it: the template entity, the
// form values, and every file of the template's folder as base64 (`directoryContents`, paths
// relative to the folder holding template.yaml, so `url: ./skeleton` resolves as in the
// catalog). Writes the rendered workspace to OUT_DIR and the log, steps and output to
// OUT_DIR/../<name>.dry-run.json.
//
//   node scripts/template/dry-run.mjs BASE_URL TEMPLATE_DIR VALUES_JSON OUT_DIR
//
// Signs in as guest (the embedded defaults' provider). Prints one JSON line: status, the
// request's wall time, the steps' statuses.
import { readFile, readdir, writeFile, mkdir, chmod } from 'node:fs/promises';
import { join, relative, dirname, basename } from 'node:path';
import { parse } from 'yaml';

const [baseUrl, templateDir, valuesJson, outDir] = process.argv.slice(2);
if (!outDir) {
  console.error('usage: dry-run.mjs BASE_URL TEMPLATE_DIR VALUES_JSON OUT_DIR');
  process.exit(2);
}

async function walk(dir) {
  const out = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '__pycache__' || entry.name === '.pytest_cache')
        continue;
      out.push(...(await walk(p)));
    } else if (entry.isFile()) out.push(p);
  }
  return out;
}

const template = parse(
  await readFile(join(templateDir, 'template.yaml'), 'utf8'),
);
const values = JSON.parse(valuesJson);
const directoryContents = [];
for (const file of await walk(templateDir)) {
  directoryContents.push({
    path: relative(templateDir, file),
    base64Content: (await readFile(file)).toString('base64'),
  });
}

const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
  headers: { 'X-Requested-With': 'XMLHttpRequest' },
});
if (!refresh.ok) {
  console.error(
    `guest sign-in failed: HTTP ${refresh.status} ${await refresh.text()}`,
  );
  process.exit(1);
}
const token = (await refresh.json()).backstageIdentity.token;

const started = performance.now();
const res = await fetch(`${baseUrl}/api/scaffolder/v2/dry-run`, {
  method: 'POST',
  headers: {
    'Content-Type': 'application/json',
    Authorization: `Bearer ${token}`,
  },
  body: JSON.stringify({ template, values, secrets: {}, directoryContents }),
});
const seconds = (performance.now() - started) / 1000;
const text = await res.text();
let body;
try {
  body = JSON.parse(text);
} catch {
  body = { raw: text };
}

await mkdir(outDir, { recursive: true });
const report = join(dirname(outDir), `${basename(outDir)}.dry-run.json`);
const { directoryContents: files = [], ...rest } = body;
await writeFile(
  report,
  JSON.stringify({ status: res.status, seconds, ...rest }, null, 2),
);

// Per step: the last status the log reports for it (skipped steps say why).
const steps = {};
for (const entry of body.log ?? []) {
  const { stepId, status, message } = entry.body ?? {};
  if (stepId && status) steps[stepId] = status;
  if (
    stepId &&
    /does not support dry-run|is not registered/.test(message ?? '')
  ) {
    steps[stepId] = `${status ?? 'skipped'}: ${message}`;
  }
}

if (res.status !== 200) {
  console.log(
    JSON.stringify({
      status: res.status,
      seconds,
      steps,
      error: body.error ?? body,
    }),
  );
  process.exit(1);
}
for (const f of files) {
  const p = join(outDir, f.path);
  await mkdir(dirname(p), { recursive: true });
  await writeFile(p, Buffer.from(f.base64Content, 'base64'));
  if (f.executable) await chmod(p, 0o755);
}
console.log(
  JSON.stringify({
    status: res.status,
    seconds: Number(seconds.toFixed(2)),
    files: files.length,
    steps,
    output: body.output,
  }),
);
