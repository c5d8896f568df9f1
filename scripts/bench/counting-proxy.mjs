// A pass-through HTTP proxy that counts the requests it forwards (and the largest
// max_results any of them asked for). GET /__stats answers the counts; POST /__reset clears.
// The target may be https (NODE_EXTRA_CA_CERTS for a private CA); dry runs and watches count
// as such. Answers are streamed (a watch's events pass as they come).
import http from 'node:http';
import { Readable } from 'node:stream';

const [port, target] = process.argv.slice(2);
let stats = { calls: [], maxResults: 0 };

http
  .createServer(async (req, res) => {
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
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url, target);
    let fromBody;
    try {
      fromBody = body.length ? JSON.parse(body.toString()).max_results : 0;
    } catch {
      fromBody = 0; // not JSON (e.g. an apply patch in YAML)
    }
    const asked = Number(url.searchParams.get('max_results') ?? fromBody ?? 0);
    const dryRun = url.searchParams.get('dryRun');
    const watch = url.searchParams.get('watch');
    stats.calls.push(
      `${req.method} ${url.pathname}${dryRun ? `?dryRun=${dryRun}` : ''}${
        watch ? `?watch=${watch}` : ''
      }`,
    );
    stats.maxResults = Math.max(stats.maxResults, asked || 0);
    const headers = { ...req.headers };
    for (const hop of [
      'host',
      'content-length',
      'connection',
      'keep-alive',
      'transfer-encoding',
    ]) {
      delete headers[hop];
    }
    let upstream;
    try {
      upstream = await fetch(url, {
        method: req.method,
        headers,
        body: body.length ? body : undefined,
      });
    } catch (error) {
      res.writeHead(502).end(String(error?.cause ?? error));
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
    Readable.fromWeb(upstream.body)
      .on('error', error => res.destroy(error))
      .pipe(res);
  })
  .listen(Number(port), '127.0.0.1');
