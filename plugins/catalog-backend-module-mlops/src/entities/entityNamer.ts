import { createHash } from 'node:crypto';

const MAX_NAME_LENGTH = 63;
const HASH_LENGTH = 8;

function shortHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, HASH_LENGTH);
}

/** Lower case, every run of other characters one `-`, no `-` at either end. */
export function slugify(text: string): string {
  return text
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/**
 * Valid, unique entity names (`[a-z0-9]+(-[a-z0-9]+)*`, at most 63 characters) for the things
 * one provider run emits. A name is the slug of its readable parts; a slug longer than 63
 * characters is cut and ends with a hash of the key; a slug another key already took (e.g.
 * `fraud_detector` and `fraud.detector` both give `fraud-detector`) gets the hash too. The
 * same key always gets the same name within a run; callers give keys in a stable order so
 * that names stay the same across runs.
 */
export class EntityNamer {
  readonly #byKey = new Map<string, string>();
  readonly #taken = new Set<string>();

  constructor(private readonly fallback: string) {}

  name(key: string, readableParts: string[]): string {
    const known = this.#byKey.get(key);
    if (known) {
      return known;
    }
    const slug = slugify(readableParts.join('-')) || this.fallback;
    let name = slug;
    if (name.length > MAX_NAME_LENGTH || this.#taken.has(name)) {
      const head = slug
        .slice(0, MAX_NAME_LENGTH - HASH_LENGTH - 1)
        .replace(/-+$/, '');
      name = `${head}-${shortHash(key)}`;
    }
    this.#byKey.set(key, name);
    this.#taken.add(name);
    return name;
  }
}
