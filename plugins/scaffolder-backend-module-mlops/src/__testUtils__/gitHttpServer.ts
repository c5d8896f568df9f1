import { spawn } from 'node:child_process';
import http from 'node:http';

/** What a test Git server saw of one request. */
export interface GitHttpRequest {
  method: string;
  url: string;
  authorization?: string;
}

/**
 * `git http-backend` as a CGI program behind a small Node server, serving every repository
 * under `root` (receive-pack enabled). `requests` records each request, with its
 * Authorization header.
 */
export function gitHttpServer(root: string): http.Server & {
  requests: GitHttpRequest[];
} {
  const requests: GitHttpRequest[] = [];
  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    requests.push({
      method: request.method ?? '',
      url: request.url ?? '',
      authorization: request.headers.authorization,
    });
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'scaffolder',
        REQUEST_METHOD: request.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.replace(/^\?/, ''),
        CONTENT_TYPE: request.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: request.headers['content-encoding'] ?? '',
        GIT_CONFIG_NOSYSTEM: '1',
        HOME: root,
      },
    });
    request.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', chunk => chunks.push(chunk));
    cgi.on('close', () => {
      const output = Buffer.concat(chunks);
      const split = output.indexOf('\r\n\r\n');
      const head = output.subarray(0, split).toString('utf8');
      let status = 200;
      for (const line of head.split('\r\n')) {
        const [name, ...rest] = line.split(':');
        const value = rest.join(':').trim();
        if (name.toLowerCase() === 'status') {
          status = parseInt(value, 10);
        } else if (name) {
          response.setHeader(name, value);
        }
      }
      response.statusCode = status;
      response.end(output.subarray(split + 4));
    });
  });
  return Object.assign(server, { requests });
}
