import { ConfigReader } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { ARGO_WORKFLOW_RESOURCE } from './customResources';
import { KubernetesClusters } from './KubernetesClusters';

/**
 * An API server that accepts connections and never answers: what a hung API server, or a
 * load balancer in front of a dead one, looks like to the backend.
 */
async function silentServer() {
  const sockets = new Set<net.Socket>();
  let closed = 0;
  const server = net.createServer(socket => {
    sockets.add(socket);
    // Read (and ignore) the request, so that the client's end of the connection is seen.
    socket.resume();
    socket.on('error', () => undefined);
    socket.on('close', () => {
      sockets.delete(socket);
      closed++;
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    /** Connections the client closed (an aborted request closes its socket). */
    closed: () => closed,
    open: () => sockets.size,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => server.close(resolve));
    },
  };
}

function clusterAt(url: string, requestTimeout?: unknown) {
  return KubernetesClusters.fromConfig(
    new ConfigReader({
      mlops: {
        kubernetes: {
          ...(requestTimeout === undefined ? {} : { requestTimeout }),
          clusters: [
            {
              name: 'silent',
              url,
              serviceAccountToken: 'tok',
              skipTLSVerify: true,
            },
          ],
        },
      },
    } as any),
    { env: {} },
  ).get();
}

async function waitFor(condition: () => boolean, ms = 2000) {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 10));
  }
}

describe('KubernetesCluster request timeout', () => {
  let server: Awaited<ReturnType<typeof silentServer>>;
  beforeEach(async () => {
    server = await silentServer();
  });
  afterEach(() => server.stop());

  it('aborts a call the API server does not answer, with a 504 naming the cluster and the timeout', async () => {
    const cluster = clusterAt(server.url, 300);
    const started = Date.now();
    const error = await cluster
      .listCustomObjects(ARGO_WORKFLOW_RESOURCE, 'ml', { labelSelector: 'a=b' })
      .then(
        () => undefined,
        e => e,
      );
    const elapsed = Date.now() - started;
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.statusCode).toBe(504);
    expect(error.message).toBe(
      "Kubernetes cluster 'silent': list workflows in 'ml' got no answer within 300 ms (mlops.kubernetes.requestTimeout)",
    );
    expect(elapsed).toBeGreaterThanOrEqual(250);
    expect(elapsed).toBeLessThan(2000);
    // The request is aborted, not left hanging: its connection is closed.
    await waitFor(() => server.closed() > 0);
    expect(server.closed()).toBeGreaterThan(0);
  });

  it('bounds every call: reads, writes, pods, logs, and the generated clients used directly', async () => {
    const cluster = clusterAt(server.url, '200ms');
    expect(cluster.requestTimeoutMs).toBe(200);
    const calls: Array<[string, () => Promise<unknown>]> = [
      [
        "get Workflow 'w'",
        () => cluster.getCustomObject(ARGO_WORKFLOW_RESOURCE, 'ml', 'w'),
      ],
      [
        "patch Workflow 'w'",
        () =>
          cluster.mergePatchCustomObject(ARGO_WORKFLOW_RESOURCE, 'ml', 'w', {
            spec: { shutdown: 'Stop' },
          }),
      ],
      ["list pods in 'ml'", () => cluster.listPods('ml', 'a=b')],
      [
        "read the log of container 'main' of pod 'p'",
        () => cluster.readPodLog('ml', 'p', { container: 'main' }),
      ],
      ["delete pod 'p'", () => cluster.deletePod('ml', 'p')],
    ];
    for (const [action, call] of calls) {
      await expect(call()).rejects.toThrow(
        `Kubernetes cluster 'silent': ${action} got no answer within 200 ms`,
      );
    }
    const started = Date.now();
    await expect(
      cluster.coreApi().listNamespacedPod({ namespace: 'ml' }),
    ).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('stops a call when the caller’s signal fires, with the signal’s reason', async () => {
    const cluster = clusterAt(server.url);
    expect(cluster.requestTimeoutMs).toBe(5000);
    const controller = new AbortController();
    const listing = cluster.listCustomObjects(ARGO_WORKFLOW_RESOURCE, 'ml', {
      signal: controller.signal,
    });
    await waitFor(() => server.open() > 0);
    const reason = new Error('the cache was dropped');
    controller.abort(reason);
    await expect(listing).rejects.toBe(reason);
    await waitFor(() => server.closed() > 0);
    expect(server.closed()).toBe(1);
    // An already aborted signal sends nothing.
    await expect(
      cluster.listCustomObjects(ARGO_WORKFLOW_RESOURCE, 'ml', {
        signal: controller.signal,
      }),
    ).rejects.toBe(reason);
    expect(server.closed() + server.open()).toBe(1);
  });
});

describe('mlops.kubernetes.requestTimeout', () => {
  it.each([
    [undefined, 5000],
    [1500, 1500],
    ['2s', 2000],
    ['750ms', 750],
    ['PT1M', 60_000],
    [{ seconds: 3 }, 3000],
    [{ minutes: 1, milliseconds: 500 }, 60_500],
  ])('reads %j as %d ms', (value, ms) => {
    expect(clusterAt('http://127.0.0.1:1', value).requestTimeoutMs).toBe(ms);
  });

  it.each([['soon'], [0], [-1], ['11m'], [{ parsecs: 1 }]])(
    'refuses %j naming the key',
    value => {
      expect(() => clusterAt('http://127.0.0.1:1', value)).toThrow(
        "Invalid config at 'mlops.kubernetes.requestTimeout'",
      );
    },
  );
});

/** An API server that answers each request with the next scripted response (the last repeats). */
async function scriptedServer(
  responses: Array<{
    status: number;
    headers?: Record<string, string>;
    body: object;
  }>,
) {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    requests.push(`${req.method} ${req.url}`);
    const next = responses[Math.min(requests.length, responses.length) - 1];
    res.writeHead(next.status, {
      'content-type': 'application/json',
      ...next.headers,
    });
    res.end(JSON.stringify(next.body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise(resolve => server.close(resolve)),
  };
}

const initializing = {
  status: 429,
  headers: { 'Retry-After': '1' },
  body: {
    kind: 'Status',
    apiVersion: 'v1',
    status: 'Failure',
    message: 'storage is (re)initializing',
    reason: 'TooManyRequests',
    code: 429,
  },
};
const emptyList = {
  status: 200,
  body: {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'WorkflowList',
    items: [],
    metadata: {},
  },
};

describe('KubernetesCluster on 429 Too Many Requests', () => {
  let server: Awaited<ReturnType<typeof scriptedServer>> | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('calls again after the Retry-After the API server gives while its storage initializes', async () => {
    server = await scriptedServer([initializing, emptyList]);
    const started = Date.now();
    const page = await clusterAt(server.url).listCustomObjects(
      ARGO_WORKFLOW_RESOURCE,
      'ml',
    );
    expect(page.items).toEqual([]);
    expect(server.requests).toEqual([
      'GET /apis/argoproj.io/v1alpha1/namespaces/ml/workflows',
      'GET /apis/argoproj.io/v1alpha1/namespaces/ml/workflows',
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('gives up with the API server’s message when the next wait would pass the request timeout', async () => {
    server = await scriptedServer([initializing]);
    const started = Date.now();
    await expect(
      clusterAt(server.url, 2500).listCustomObjects(
        ARGO_WORKFLOW_RESOURCE,
        'ml',
      ),
    ).rejects.toThrow(
      "Kubernetes cluster 'silent': list workflows in 'ml' failed (HTTP 429): storage is (re)initializing",
    );
    // Calls at 0 s, 1 s and 2 s (two on a slow machine); a wait to 3 s would pass 2.5 s.
    expect(server.requests.length).toBeGreaterThanOrEqual(2);
    expect(server.requests.length).toBeLessThanOrEqual(3);
    expect(Date.now() - started).toBeLessThan(2500);
  });

  it('keeps the whole call, retries included, within the request timeout', async () => {
    // 429 first, then an API server that accepts the request and never answers.
    const sockets = new Set<net.Socket>();
    let requests = 0;
    const hanging = http.createServer((_req, res) => {
      requests++;
      if (requests === 1) {
        res.writeHead(initializing.status, {
          'content-type': 'application/json',
          ...initializing.headers,
        });
        res.end(JSON.stringify(initializing.body));
      }
    });
    hanging.on('connection', socket => sockets.add(socket));
    await new Promise<void>(resolve => hanging.listen(0, '127.0.0.1', resolve));
    const { port } = hanging.address() as AddressInfo;
    const started = Date.now();
    try {
      await expect(
        clusterAt(`http://127.0.0.1:${port}`, 1500).listCustomObjects(
          ARGO_WORKFLOW_RESOURCE,
          'ml',
        ),
      ).rejects.toThrow(
        "Kubernetes cluster 'silent': list workflows in 'ml' got no answer within 1500 ms",
      );
      const elapsed = Date.now() - started;
      expect(requests).toBe(2);
      expect(elapsed).toBeGreaterThanOrEqual(1400);
      expect(elapsed).toBeLessThan(2300);
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise(resolve => hanging.close(resolve));
    }
  });

  it('does not call again on a 429 without Retry-After', async () => {
    server = await scriptedServer([
      { ...initializing, headers: {} },
      emptyList,
    ]);
    await expect(
      clusterAt(server.url).listCustomObjects(ARGO_WORKFLOW_RESOURCE, 'ml'),
    ).rejects.toThrow('(HTTP 429)');
    expect(server.requests).toHaveLength(1);
  });

  it('stops waiting when the caller’s signal fires', async () => {
    server = await scriptedServer([
      { ...initializing, headers: { 'Retry-After': '2' } },
      emptyList,
    ]);
    const controller = new AbortController();
    const reason = new Error('the page was closed');
    const listing = clusterAt(server.url).listCustomObjects(
      ARGO_WORKFLOW_RESOURCE,
      'ml',
      { signal: controller.signal },
    );
    await waitFor(() => server!.requests.length > 0);
    controller.abort(reason);
    await expect(listing).rejects.toBe(reason);
    expect(server.requests).toHaveLength(1);
  });
});
