/**
 * Reading Kubernetes objects as plain JSON: what comes back from the API server (or a YAML
 * file) is `unknown` until each field is checked. These readers never throw; a field of the
 * wrong type reads as absent.
 */

/**
 * A JSON object.
 *
 * @public
 */
export type PlainObject = Record<string, unknown>;

export function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value as an object, or an empty one. */
export function objectAt(value: unknown): PlainObject {
  return isPlainObject(value) ? value : {};
}

/** The value as an array, or an empty one. */
export function arrayAt(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** A non-empty string, else undefined. */
export function stringAt(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/**
 * A scalar as a string: Argo parameter values are "any string", which YAML may have typed as
 * a number or a boolean (`value: 3`). Empty strings are kept, unlike stringAt.
 */
export function scalarAsString(value: unknown): string | undefined {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return undefined;
}

/** A finite number (or a numeric string, as int64s may be sent), else undefined. */
export function numberAt(value: unknown): number | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? value : undefined;
  }
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

export function booleanAt(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** The non-empty strings of an array. */
export function stringsAt(value: unknown): string[] {
  return arrayAt(value).filter(
    (item): item is string => typeof item === 'string' && item !== '',
  );
}

/** A string → string map (labels, annotations, resource quantities); other values are dropped. */
export function stringMapAt(value: unknown): Record<string, string> {
  const map: Record<string, string> = {};
  for (const [key, item] of Object.entries(objectAt(value))) {
    const text = scalarAsString(item);
    if (text !== undefined) {
      map[key] = text;
    }
  }
  return map;
}

/** An RFC 3339 time Kubernetes sent (null and "" mean unset), else undefined. */
export function timeAt(value: unknown): string | undefined {
  const text = stringAt(value);
  return text && !Number.isNaN(Date.parse(text)) ? text : undefined;
}

/** Milliseconds from start to end, when both are set and in order. */
export function durationBetween(
  start: string | undefined,
  end: string | undefined,
): number | undefined {
  if (!start || !end) {
    return undefined;
  }
  const ms = Date.parse(end) - Date.parse(start);
  return ms >= 0 ? ms : undefined;
}

/** The parts of `metadata` every view uses. */
export interface ObjectMetadata {
  name?: string;
  namespace?: string;
  uid?: string;
  creationTimestamp?: string;
  generation?: number;
  resourceVersion?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export function readMetadata(object: unknown): ObjectMetadata {
  const metadata = objectAt(objectAt(object).metadata);
  return {
    name: stringAt(metadata.name),
    namespace: stringAt(metadata.namespace),
    uid: stringAt(metadata.uid),
    creationTimestamp: timeAt(metadata.creationTimestamp),
    generation: numberAt(metadata.generation),
    resourceVersion: stringAt(metadata.resourceVersion),
    labels: stringMapAt(metadata.labels),
    annotations: stringMapAt(metadata.annotations),
  };
}

/** Drops undefined values, so that results compare and serialise cleanly. */
export function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, item]) => item !== undefined),
  ) as T;
}

/** A deep copy of a JSON value (objects from the API server are JSON). */
export function cloneJson<T>(value: T): T {
  return structuredClone(value);
}
