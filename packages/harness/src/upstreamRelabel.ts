/**
 * The one way an upstream object (third_party/{argo-workflows,kserve}/examples: objects as the
 * controllers recorded them, with their statuses) is put into the harness for an entity: in a
 * namespace, with the entity's labels, under a name of its own, its times moved to recent ones.
 * The test fixtures (upstreamObjects.ts), the example project's seeder (seed/seedKube.ts) and
 * the Argo bench's seeder (bench/seedArgoWorkflows.ts) all use it.
 */

/** A Kubernetes object as the tests and seeders write it. */
export type KubeObject = Record<string, any>;

/** Where and as what an upstream object is created. */
export interface Relabelling {
  namespace: string;
  /** Set on top of the upstream labels. */
  labels?: Record<string, string>;
  /**
   * The object's own name. It replaces the upstream name everywhere in the object (Argo's node
   * ids, boundary ids and messages are made of it), and the upstream `generateName` goes with it.
   */
  name?: string;
  /** Further strings replaced everywhere in the object, in order (e.g. the upstream namespace in a status URL). */
  replace?: Record<string, string>;
}

/** Deep copy of `value` with every occurrence of `from` in its strings and keys replaced by `to`. */
export function replaceEverywhere<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).split(from).join(to));
}

/**
 * The upstream object as it is created: apiVersion, kind, spec and status, and of its metadata
 * only name (or generateName), labels and annotations; no server-owned fields (uid,
 * resourceVersion, selfLink, finalizers...).
 */
export function relabelUpstreamObject(
  object: KubeObject,
  relabelling: Relabelling,
): KubeObject {
  const { metadata } = object;
  const { namespace, labels = {}, name, replace = {} } = relabelling;
  let relabelled: KubeObject = {
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: {
      name: metadata.name,
      ...(metadata.generateName && !name
        ? { generateName: metadata.generateName }
        : {}),
      namespace,
      labels: { ...metadata.labels, ...labels },
      ...(metadata.annotations ? { annotations: metadata.annotations } : {}),
    },
    spec: object.spec,
    ...(object.status ? { status: object.status } : {}),
  };
  if (name && metadata.name) {
    relabelled = replaceEverywhere(relabelled, metadata.name, name);
  }
  relabelled.metadata.name = name ?? metadata.name;
  for (const [from, to] of Object.entries(replace)) {
    relabelled = replaceEverywhere(relabelled, from, to);
  }
  return relabelled;
}

const RFC3339_SECONDS = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/;

/** A time as Kubernetes writes it: RFC 3339, whole seconds, UTC. */
export function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Moves every RFC 3339 time of a status (or any value) so that its earliest one is `start`. */
export function retimeStatus<T>(status: T, start: number): T {
  const times: number[] = [];
  JSON.stringify(status, (_key, v) => {
    if (typeof v === 'string' && RFC3339_SECONDS.test(v)) {
      times.push(Date.parse(v));
    }
    return v;
  });
  const delta = start - Math.min(...times);
  return JSON.parse(
    JSON.stringify(status, (_key, v) =>
      typeof v === 'string' && RFC3339_SECONDS.test(v)
        ? rfc3339(Date.parse(v) + delta)
        : v,
    ),
  );
}

/**
 * Deep copy without nulls. Argo's controller writes unset times as null (Go's zero time); the
 * full-schema CRDs in third_party reject null for string fields, so they are dropped, as an
 * apply would.
 */
export function withoutNulls<T>(value: T): T {
  return JSON.parse(
    JSON.stringify(value, (_key, v) => (v === null ? undefined : v)),
  );
}
