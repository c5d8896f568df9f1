// A pass-through HTTP proxy that counts the requests it forwards (and the largest
// max_results any of them asked for). GET /__stats answers the counts; POST /__reset clears.
import http from 'node:http';

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
    const asked = Number(
      url.searchParams.get('max_results') ??
        (body.length ? JSON.parse(body.toString()).max_results : 0) ??
        0,
    );
    stats.calls.push(`${req.method} ${url.pathname}`);
    stats.maxResults = Math.max(stats.maxResults, asked || 0);
    const headers = { ...req.headers };
    delete headers.host;
    delete headers['content-length'];
    const upstream = await fetch(url, {
      method: req.method,
      headers,
      body: body.length ? body : undefined,
    });
    res.writeHead(upstream.status, {
      'content-type':
        upstream.headers.get('content-type') ?? 'application/json',
    });
    res.end(Buffer.from(await upstream.arrayBuffer()));
  })
  .listen(Number(port), '127.0.0.1');
