/**
 * Renders a software template with the portal's real scaffolder: POST /api/scaffolder/v2/dry-run
 * (the API behind the template editor), the way the editor sends it: the template entity, the
 * form values, and every file of the template's folder as base64 (`directoryContents`, paths
 * relative to the folder holding template.yaml, so `url: ./skeleton` resolves as in the
 * catalog). Writes the rendered workspace to OUT_DIR and the log, steps and output to
 * OUT_DIR/../<name>.dry-run.json.
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/template/dryRun.ts \
 *     BASE_URL TEMPLATE_DIR VALUES_JSON OUT_DIR
 *
 * Signs in as guest (the embedded defaults' provider). Prints one JSON line: status, the
 * request's wall time, the steps' statuses (and the output, or the error). Exits 1 unless the
 * scaffolder answered 200, 2 on a usage error.
 */
import { chmod, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { parse } from 'yaml';
import { runMain } from '../cli';

/** A file of the template's folder or of the rendered workspace. */
interface DirectoryFile {
  path: string;
  base64Content: string;
  executable?: boolean;
}

/** Every file under `dir`, but Python caches. */
async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name === '__pycache__' || entry.name === '.pytest_cache') {
        continue;
      }
      out.push(...(await walk(p)));
    } else if (entry.isFile()) {
      out.push(p);
    }
  }
  return out;
}

/** The template's folder as the editor sends it. */
export async function templateDirectoryContents(
  templateDir: string,
): Promise<DirectoryFile[]> {
  const files: DirectoryFile[] = [];
  for (const file of await walk(templateDir)) {
    files.push({
      path: relative(templateDir, file),
      base64Content: (await readFile(file)).toString('base64'),
    });
  }
  return files;
}

/** Per step: the last status the log reports for it (skipped steps say why). */
export function stepStatuses(
  log: Array<{ body?: { stepId?: string; status?: string; message?: string } }>,
): Record<string, string> {
  const steps: Record<string, string> = {};
  for (const entry of log) {
    const { stepId, status, message } = entry.body ?? {};
    if (stepId && status) steps[stepId] = status;
    if (
      stepId &&
      /does not support dry-run|is not registered/.test(message ?? '')
    ) {
      steps[stepId] = `${status ?? 'skipped'}: ${message}`;
    }
  }
  return steps;
}

async function guestToken(baseUrl: string): Promise<string> {
  const refresh = await fetch(`${baseUrl}/api/auth/guest/refresh`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!refresh.ok) {
    console.error(
      `guest sign-in failed: HTTP ${refresh.status} ${await refresh.text()}`,
    );
    process.exit(1);
  }
  return (await refresh.json()).backstageIdentity.token;
}

async function main() {
  const [baseUrl, templateDir, valuesJson, outDir] = process.argv.slice(2);
  if (!outDir) {
    console.error('usage: dryRun.ts BASE_URL TEMPLATE_DIR VALUES_JSON OUT_DIR');
    process.exit(2);
  }
  const template = parse(
    await readFile(join(templateDir, 'template.yaml'), 'utf8'),
  );
  const values = JSON.parse(valuesJson);
  const directoryContents = await templateDirectoryContents(templateDir);
  const token = await guestToken(baseUrl);

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
  let body: any;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }

  await mkdir(outDir, { recursive: true });
  const report = join(dirname(outDir), `${basename(outDir)}.dry-run.json`);
  const { directoryContents: files = [], ...rest } = body as {
    directoryContents?: DirectoryFile[];
  } & Record<string, unknown>;
  await writeFile(
    report,
    JSON.stringify({ status: res.status, seconds, ...rest }, null, 2),
  );
  const steps = stepStatuses(body.log ?? []);

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
}

if (require.main === module) {
  runMain(main);
}
