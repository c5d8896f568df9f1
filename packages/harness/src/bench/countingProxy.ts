/**
 * A pass-through HTTP proxy that counts the requests it forwards (and the largest max_results any
 * of them asked for). GET /__stats answers the counts; POST /__reset clears. The target may be
 * https (NODE_EXTRA_CA_CERTS for a private CA); dry runs and watches count as such. Answers are
 * streamed (a watch's events pass as they come).
 *
 *   node --require @backstage/cli/config/nodeTransform.cjs packages/harness/src/bench/countingProxy.ts PORT TARGET_URL
 */
import http from 'node:http';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';

/** What GET /__stats answers: each forwarded call as `METHOD /path[?dryRun=..][?watch=..]`. */
export interface ProxyStats {
  calls: string[];
  maxResults: number;
}

const HOP_BY_HOP = [
  'host',
  'content-length',
  'connection',
  'keep-alive',
  'transfer-encoding',
];

/** The max_results a request asks for, in its query or its JSON body (0 when none). */
function askedMaxResults(url: URL, body: Buffer): number {
  let fromBody = 0;
  try {
    fromBody = body.length ? JSON.parse(body.toString()).max_results : 0;
  } catch {
    fromBody = 0; // not JSON (e.g. an apply patch in YAML)
  }
  return Number(url.searchParams.get('max_results') ?? fromBody ?? 0) || 0;
}

/** How a forwarded call is counted. */
function describeCall(method: string | undefined, url: URL): string {
  const dryRun = url.searchParams.get('dryRun');
  const watch = url.searchParams.get('watch');
  return `${method} ${url.pathname}${dryRun ? `?dryRun=${dryRun}` : ''}${
    watch ? `?watch=${watch}` : ''
  }`;
}

/** The proxy to `target`, not yet listening. */
export function createCountingProxy(target: string): http.Server {
  let stats: ProxyStats = { calls: [], maxResults: 0 };
  return http.createServer(async (req, res) => {
    if (req.url === '/__stats') {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(stats));
      return;
    }
    if (req.url === '/__reset') {
      stats = { calls: [], maxResults: 0 };
      res.end('{}');
      return;
    }
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', target);
    stats.calls.push(describeCall(req.method, url));
    stats.maxResults = Math.max(stats.maxResults, askedMaxResults(url, body));
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined && !HOP_BY_HOP.includes(name)) {
        headers[name] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    let upstream: Response;
    try {
      upstream = await fetch(url, {
        method: req.method,
        headers,
        body: body.length ? body : undefined,
      });
    } catch (error) {
      res
        .writeHead(502)
        .end(String((error as { cause?: unknown })?.cause ?? error));
      return;
    }
    res.writeHead(upstream.status, {
      'content-type':
        upstream.headers.get('content-type') ?? 'application/json',
    });
    if (!upstream.body) {
      res.end();
      return;
    }
    // Streamed, so a watch's events reach the backend as the API server sends them; its
    // headers go at once (a quiet watch sends no body for minutes).
    res.flushHeaders();
    Readable.fromWeb(upstream.body as WebReadableStream<Uint8Array>)
      .on('error', error => res.destroy(error))
      .pipe(res);
  });
}

if (require.main === module) {
  const [port, target] = process.argv.slice(2);
  createCountingProxy(target).listen(Number(port), '127.0.0.1');
}
