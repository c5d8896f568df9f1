import type { KubernetesCluster } from '@mlstack/plugin-mlops-node';
import http from 'node:http';
import https from 'node:https';
import { createInterface } from 'node:readline';

/** One event of a Kubernetes watch (`ADDED`, `MODIFIED`, `DELETED`, `BOOKMARK`, `ERROR`). */
export interface WatchEvent {
  type: string;
  object: unknown;
}

/** Why a watch ended: `statusCode` when the API server refused it (403, 410...). */
export class WatchError extends Error {
  constructor(message: string, readonly statusCode?: number) {
    super(message);
    this.name = 'WatchError';
  }
}

export interface WatchHandlers {
  /** The API server accepted the watch (HTTP 200). */
  onOpen?(): void;
  onEvent(event: WatchEvent): void;
  /** Called once: undefined when the server closed the stream normally (its timeout). */
  onDone(error?: Error): void;
}

/** A running watch; stop() ends it without calling onDone. */
export interface WatchHandle {
  stop(): void;
}

/**
 * Opens `GET path?watch=true&...` on the cluster with its KubeConfig's credentials and reads the
 * newline-delimited events. Every failure ends in onDone (never a throw or a rejection); an
 * idle connection (no event nor bookmark for `idleMs`) is closed as an error, and so is one
 * whose answer does not start within the cluster's request timeout (`requestTimeoutMs`; the
 * watch itself may then last as long as the API server keeps it open).
 */
export function openWatch(
  cluster: Pick<KubernetesCluster, 'name' | 'kubeConfig' | 'requestTimeoutMs'>,
  path: string,
  query: Record<string, string | number | boolean | undefined>,
  handlers: WatchHandlers,
  idleMs: number,
): WatchHandle {
  let finished = false;
  let request: http.ClientRequest | undefined;
  let connectTimer: NodeJS.Timeout | undefined;
  const finish = (error?: Error) => {
    if (!finished) {
      finished = true;
      clearTimeout(connectTimer);
      request?.destroy();
      handlers.onDone(error);
    }
  };
  const start = async () => {
    const server = cluster.kubeConfig.getCurrentCluster()?.server;
    if (!server) {
      throw new WatchError(`cluster '${cluster.name}' has no server URL`);
    }
    const url = new URL(server.replace(/\/+$/, '') + path);
    url.searchParams.set('watch', 'true');
    for (const [key, value] of Object.entries(query)) {
      if (value !== undefined) {
        url.searchParams.set(key, String(value));
      }
    }
    const options: https.RequestOptions = { method: 'GET', headers: {} };
    await cluster.kubeConfig.applyToHTTPSOptions(options);
    if (finished) {
      return;
    }
    const transport = url.protocol === 'http:' ? http : https;
    request = transport.request(url, options, response => {
      clearTimeout(connectTimer);
      response.on('error', finish);
      if (response.statusCode !== 200) {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          if (body.length < 4096) body += chunk;
        });
        response.on('end', () =>
          finish(
            new WatchError(
              `watch failed (HTTP ${response.statusCode}): ${body.slice(
                0,
                500,
              )}`,
              response.statusCode,
            ),
          ),
        );
        return;
      }
      handlers.onOpen?.();
      const lines = createInterface({ input: response, crlfDelay: Infinity });
      // readline re-emits the response's errors (ECONNRESET...): unhandled, they would crash.
      lines.on('error', finish);
      lines.on('line', line => {
        if (finished || !line.trim()) return;
        let event: WatchEvent;
        try {
          event = JSON.parse(line);
        } catch {
          finish(new WatchError('watch sent a line that is not JSON'));
          return;
        }
        try {
          handlers.onEvent(event);
        } catch (error) {
          finish(error as Error);
        }
      });
      lines.on('close', () => finish());
    });
    request.on('error', finish);
    const connectMs = cluster.requestTimeoutMs;
    connectTimer = setTimeout(
      () =>
        finish(
          new WatchError(
            `watch got no answer within ${connectMs} ms (mlops.kubernetes.requestTimeout)`,
          ),
        ),
      connectMs,
    );
    request.setTimeout(idleMs, () =>
      finish(new WatchError(`watch idle for ${idleMs} ms`)),
    );
    request.end();
  };
  start().catch(error =>
    finish(error instanceof Error ? error : new Error(String(error))),
  );
  return {
    stop() {
      finished = true;
      clearTimeout(connectTimer);
      request?.destroy();
    },
  };
}
