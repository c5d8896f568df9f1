import { ConfigReader } from '@backstage/config';
import { KubernetesClusters } from '@mlstack/plugin-mlops-node';
import http from 'node:http';
import net from 'node:net';
import { WatchEvent, openWatch } from './watchStream';

function clusterAt(url: string) {
  return KubernetesClusters.fromConfig(
    new ConfigReader({
      mlops: {
        kubernetes: {
          requestTimeout: 300,
          clusters: [
            {
              name: 'c1',
              url,
              serviceAccountToken: 'tok',
              skipTLSVerify: true,
            },
          ],
        },
      },
    }),
    { env: {} },
  ).get();
}

async function listen(server: net.Server): Promise<string> {
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

/** Stops the watches a test opened. */
const stops: Array<() => void> = [];

function watch(url: string, idleMs: number) {
  const events: WatchEvent[] = [];
  let opened = false;
  const done = new Promise<Error | undefined>(resolve => {
    const handle = openWatch(
      clusterAt(url),
      '/apis/argoproj.io/v1alpha1/namespaces/ns/workflows',
      { labelSelector: 'a=1' },
      {
        onOpen: () => {
          opened = true;
        },
        onEvent: event => events.push(event),
        onDone: resolve,
      },
      idleMs,
    );
    stops.push(() => handle.stop());
  });
  return { events, done, opened: () => opened };
}

describe('openWatch timeouts', () => {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;

  afterEach(async () => {
    stops.splice(0).forEach(stop => stop());
    sockets.forEach(socket => socket.destroy());
    await new Promise(resolve => (server ? server.close(resolve) : resolve(0)));
    server = undefined;
  });

  it('ends a watch whose API server does not answer within the request timeout', async () => {
    server = net.createServer(socket => {
      sockets.add(socket);
      socket.on('error', () => undefined);
    });
    const url = await listen(server);
    const started = Date.now();
    const { done, opened } = watch(url, 60_000);
    const error = await done;
    expect(error?.message).toBe(
      'watch got no answer within 300 ms (mlops.kubernetes.requestTimeout)',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(opened()).toBe(false);
  });

  it('keeps a watch open longer than the request timeout once it answers', async () => {
    server = http.createServer((_req, res) => {
      sockets.add(res.socket!);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      const bookmark = (rv: string) =>
        `${JSON.stringify({
          type: 'BOOKMARK',
          object: { metadata: { resourceVersion: rv } },
        })}\n`;
      setTimeout(() => res.write(bookmark('2')), 400);
      setTimeout(() => res.end(bookmark('3')), 800);
    });
    const url = await listen(server);
    const { events, done, opened } = watch(url, 5_000);
    expect(await done).toBeUndefined();
    expect(opened()).toBe(true);
    expect(events.map(e => e.type)).toEqual(['BOOKMARK', 'BOOKMARK']);
  });
});
