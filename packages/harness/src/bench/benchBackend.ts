/**
 * The bench backend as the benches use it: signed in as the guest (user:default/guest, a member
 * of ml-team), the bench entity in its catalog, its upstreams behind counting proxies
 * (countingProxy.ts). The bench backend is a dev server: an edit in the repository restarts it,
 * which `recoverFromRestart` waits out.
 */
import type { ProxyStats } from './countingProxy';
import { countBy } from './measure';

const OWNER_GROUP = 'group:default/ml-team';

/** Fetches a JSON answer (`{}` when empty); throws unless it is OK or one of `okStatuses`. */
export async function callJson(
  url: string,
  init?: RequestInit,
  ...okStatuses: number[]
): Promise<any> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (!(res.ok || okStatuses.includes(res.status))) {
    throw new Error(`${init?.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  }
  return text ? JSON.parse(text) : {};
}

const sleep = (ms: number) => new Promise(r => setTimeout(r, ms));

/** The upstream calls `action` made, through the counting proxies (name → proxy URL), by path. */
export async function countUpstreamCalls<T>(
  proxies: Record<string, string>,
  action: () => Promise<T>,
): Promise<{ result: T; total: number; byPath: Record<string, number> }> {
  await Promise.all(Object.values(proxies).map(p => fetch(`${p}/__reset`)));
  const result = await action();
  const calls: string[] = [];
  for (const [name, p] of Object.entries(proxies)) {
    const { calls: seen }: ProxyStats = await (
      await fetch(`${p}/__stats`)
    ).json();
    calls.push(...seen.map(c => `${name} ${c}`));
  }
  return { result, total: calls.length, byPath: countBy(calls) };
}

export class BenchBackend {
  /** The guest's authorization, once signed in. */
  readonly headers: Record<string, string> = {};
  /** How many restarts of the backend the bench waited out. */
  restarts = 0;

  /** `entity`: kind/namespace/name, as in the catalog's by-name route. */
  constructor(readonly url: string, readonly entity: string) {}

  /** Signs in as the guest. */
  async signIn(): Promise<void> {
    const res = await fetch(`${this.url}/api/auth/guest/refresh`);
    if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
    const { token } = (await res.json()).backstageIdentity;
    this.headers.authorization = `Bearer ${token}`;
  }

  /** Signs in as the guest once the catalog has the guest as a member of ml-team (the entities' owner). */
  async signInAsMember(): Promise<void> {
    for (let i = 0; i < 60; i++) {
      const res = await fetch(`${this.url}/api/auth/guest/refresh`).catch(
        () => undefined,
      );
      if (res?.ok) {
        const { token, identity } = (await res.json()).backstageIdentity;
        if (identity.ownershipEntityRefs.includes(OWNER_GROUP)) {
          this.headers.authorization = `Bearer ${token}`;
          return;
        }
      }
      await sleep(1000);
    }
    throw new Error(`the guest never signed in as a member of ${OWNER_GROUP}`);
  }

  /** Waits (up to a minute) until the catalog serves the bench entity; returns it. */
  async waitForEntity(): Promise<any> {
    for (let i = 0; i < 60; i++) {
      const res = await fetch(
        `${this.url}/api/catalog/entities/by-name/${this.entity}`,
        { headers: this.headers },
      );
      if (res.ok) return res.json();
      await sleep(1000);
    }
    throw new Error(
      `the bench entity ${this.entity} never appeared in the catalog`,
    );
  }

  /**
   * After a step failed, maybe because the backend restarted: waits until it is ready again,
   * signs in again and waits for the entity. Rethrows the error after `maxRestarts` of them.
   */
  async recoverFromRestart(error: unknown, maxRestarts: number): Promise<void> {
    if (++this.restarts > maxRestarts) throw error;
    const e = error as { message?: string; cause?: { code?: string } };
    console.error(
      `  (backend restarted? ${
        e?.cause?.code ?? String(e?.message ?? error).slice(0, 80)
      }; waiting)`,
    );
    for (let i = 0; i < 180; i++) {
      const ready = await fetch(
        `${this.url}/.backstage/health/v1/readiness`,
      ).then(
        r => r.ok,
        () => false,
      );
      if (ready) break;
      await sleep(1000);
    }
    await this.signInAsMember();
    await this.waitForEntity();
  }
}
