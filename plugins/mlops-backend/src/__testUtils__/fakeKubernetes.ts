import { http, HttpResponse } from 'msw';
import {
  matchesLabelSelector,
  parseLabelSelector,
} from '../service/kubernetes/labelSelector';

/** The API server URL the tests configure. */
export const KUBE = 'http://kube.test';

type KubeObject = Record<string, any>;

export interface KubeRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  contentType?: string;
  body?: unknown;
}

function status(code: number, message: string) {
  return HttpResponse.json(
    { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, code },
    { status: code },
  );
}

/**
 * A tiny in-memory Kubernetes API server for msw: namespaced objects by resource path
 * (`apis/argoproj.io/v1alpha1/workflows`, `api/v1/pods`), label-selector lists paged with
 * limit/continue in name order (as the API server pages), get, create (generateName), merge
 * patch, replace with resourceVersion check, delete, and pod logs. Every request is recorded.
 */
export class FakeKubernetes {
  readonly requests: KubeRequest[] = [];
  /** `${resource}/${namespace}/${name}` → object. */
  readonly objects = new Map<string, KubeObject>();
  /** `${namespace}/${pod}/${container}` → log text. */
  readonly logs = new Map<string, string>();
  /** `${namespace}/${pod}/${container}` → the status a log request gets instead. */
  readonly logFailures = new Map<string, { code: number; message: string }>();
  /**
   * How a watch (`?watch=true`) is answered: refused with 403 (the default: the backend then
   * lists page by page, as without its cache), or opened and left open after a bookmark.
   */
  watch: 'forbidden' | 'open' = 'forbidden';
  /** Answers every request with this status while set. */
  failWith?: { code: number; message: string };
  #counter = 0;

  put(resource: string, object: KubeObject): KubeObject {
    const copy = structuredClone(object);
    copy.metadata.resourceVersion ??= String(++this.#counter);
    copy.metadata.creationTimestamp ??= new Date(
      Date.UTC(2026, 0, 1, 0, 0, this.#counter),
    )
      .toISOString()
      .replace('.000', '');
    this.objects.set(
      `${resource}/${copy.metadata.namespace}/${copy.metadata.name}`,
      copy,
    );
    return copy;
  }

  get(resource: string, namespace: string, name: string) {
    return this.objects.get(`${resource}/${namespace}/${name}`);
  }

  of(method: string) {
    return this.requests.filter(r => r.method === method);
  }

  handlers() {
    const prefix = `${KUBE}/:api/*`;
    const record = async (request: Request) => {
      const url = new URL(request.url);
      let body: unknown;
      if (['POST', 'PUT', 'PATCH'].includes(request.method)) {
        body = await request.clone().json();
      }
      const entry: KubeRequest = {
        method: request.method,
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        contentType: request.headers.get('content-type') ?? undefined,
        body,
      };
      this.requests.push(entry);
      return entry;
    };
    return [
      http.all(prefix, async ({ request }) => {
        const entry = await record(request);
        if (this.failWith) {
          return status(this.failWith.code, this.failWith.message);
        }
        return this.answer(entry);
      }),
    ];
  }

  private answer(request: KubeRequest) {
    // /apis/<group>/<version>/namespaces/<ns>/<plural>[/<name>[/<sub>]]  or /api/v1/...
    const match =
      /^\/(apis\/[^/]+\/[^/]+|api\/v1)\/namespaces\/([^/]+)\/([^/]+)(?:\/([^/]+))?(?:\/([^/]+))?$/.exec(
        request.path,
      );
    if (!match) {
      return status(404, `no route ${request.path}`);
    }
    const [, api, namespace, plural, name, sub] = match;
    const resource = `${api}/${plural}`;
    const key = `${resource}/${namespace}/${name}`;
    if (sub === 'log') {
      const failure = this.logFailures.get(
        `${namespace}/${name}/${request.query.container}`,
      );
      if (failure) {
        return status(failure.code, failure.message);
      }
      const text = this.logs.get(
        `${namespace}/${name}/${request.query.container}`,
      );
      if (text === undefined) {
        return status(404, `pods "${name}" not found`);
      }
      const tail = Number(request.query.tailLines ?? 0);
      const lines = text.split('\n');
      return new HttpResponse(tail ? lines.slice(-tail).join('\n') : text, {
        headers: { 'content-type': 'text/plain' },
      });
    }
    if (request.query.watch === 'true') {
      return this.watch === 'open'
        ? new HttpResponse(
            new ReadableStream({
              start(controller) {
                controller.enqueue(
                  new TextEncoder().encode(
                    `${JSON.stringify({
                      type: 'BOOKMARK',
                      object: { metadata: { resourceVersion: '1' } },
                    })}\n`,
                  ),
                );
              },
            }),
            {
              headers: { 'content-type': 'application/json' },
            },
          )
        : status(
            403,
            `${plural} is forbidden: User "system:serviceaccount:fake" cannot watch resource "${plural}"`,
          );
    }
    switch (request.method) {
      case 'GET': {
        if (name) {
          const object = this.objects.get(key);
          return object
            ? HttpResponse.json(object)
            : status(404, `${plural} "${name}" not found`);
        }
        return this.list(resource, namespace, request.query);
      }
      case 'POST': {
        const body = structuredClone(request.body) as KubeObject;
        body.metadata.namespace = namespace;
        body.metadata.name ??= `${body.metadata.generateName}${(++this.#counter)
          .toString(36)
          .padStart(5, 'x')}`;
        return HttpResponse.json(this.put(resource, body), { status: 201 });
      }
      case 'PATCH': {
        const object = this.objects.get(key);
        if (!object) {
          return status(404, `${plural} "${name}" not found`);
        }
        const merged = mergePatch(object, request.body) as KubeObject;
        merged.metadata.resourceVersion = String(++this.#counter);
        this.objects.set(key, merged);
        return HttpResponse.json(merged);
      }
      case 'PUT': {
        const object = this.objects.get(key);
        const body = request.body as KubeObject;
        if (!object) {
          return status(404, `${plural} "${name}" not found`);
        }
        if (body.metadata.resourceVersion !== object.metadata.resourceVersion) {
          return status(409, 'the object has been modified');
        }
        const stored = structuredClone(body);
        stored.metadata.resourceVersion = String(++this.#counter);
        this.objects.set(key, stored);
        return HttpResponse.json(stored);
      }
      case 'DELETE': {
        if (!this.objects.delete(key)) {
          return status(404, `${plural} "${name}" not found`);
        }
        return HttpResponse.json({ kind: 'Status', status: 'Success' });
      }
      default:
        return status(405, 'method not allowed');
    }
  }

  private list(
    resource: string,
    namespace: string,
    query: Record<string, string>,
  ) {
    const requirements = query.labelSelector
      ? parseLabelSelector(query.labelSelector)
      : [];
    const all = Array.from(this.objects.entries())
      .filter(([key]) => key.startsWith(`${resource}/${namespace}/`))
      .map(([, object]) => object)
      .filter(object =>
        matchesLabelSelector(requirements, object.metadata.labels ?? {}),
      )
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    const start = query.continue ? Number(query.continue) : 0;
    const limit = query.limit ? Number(query.limit) : all.length;
    const items = all.slice(start, start + limit);
    const next = start + limit < all.length ? start + limit : undefined;
    return HttpResponse.json({
      kind: 'List',
      metadata: {
        resourceVersion: String(this.#counter),
        ...(next !== undefined
          ? { continue: String(next), remainingItemCount: all.length - next }
          : {}),
      },
      items,
    });
  }
}

function mergePatch(target: unknown, patch: unknown): unknown {
  if (typeof patch !== 'object' || patch === null || Array.isArray(patch)) {
    return patch;
  }
  const result: Record<string, unknown> =
    typeof target === 'object' && target !== null && !Array.isArray(target)
      ? { ...(target as Record<string, unknown>) }
      : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      result[key] = mergePatch(result[key], value);
    }
  }
  return result;
}
