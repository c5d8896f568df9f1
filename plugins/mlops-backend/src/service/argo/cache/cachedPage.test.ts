import {
  decodeCachedPageToken,
  encodeCachedPageToken,
  isCachedPageToken,
  pageAfter,
  unionNewestFirst,
} from './cachedPage';
import { summary } from '../../../__testUtils__/fakeWorkflowSource';
import { newestFirst } from './workflowOrder';

const at = (second: number) =>
  `2026-01-01T00:${String(Math.floor(second / 60)).padStart(2, '0')}:${String(
    second % 60,
  ).padStart(2, '0')}Z`;

describe('cached pages', () => {
  // Names in the reverse of creation order, and two created in the same second.
  const all = Array.from({ length: 60 }, (_, i) =>
    summary(`wf-${99 - i}`, at(i)),
  );
  all.push(summary('same-second-a', at(30)), summary('same-second-b', at(30)));
  const sorted = [...all].sort(newestFirst);

  it('orders by creation time, newest first, then by name', () => {
    expect(sorted[0].name).toBe('wf-40');
    expect(sorted.map(s => s.name).slice(29, 33)).toEqual([
      'same-second-a',
      'same-second-b',
      'wf-69',
      'wf-70',
    ]);
  });

  it('visits each workflow once, newest first, with what is left', () => {
    const first = pageAfter(sorted, 25);
    expect(first.items).toEqual(sorted.slice(0, 25));
    expect(first.remaining).toBe(37);
    const seen = first.items.map(s => s.name);
    let after = first.next;
    for (let i = 0; i < 10 && after; i++) {
      const page = pageAfter(sorted, 25, after);
      seen.push(...page.items.map(s => s.name));
      after = page.next;
    }
    expect(seen).toEqual(sorted.map(s => s.name));
  });

  it('neither repeats nor skips when workflows come and go between pages', () => {
    const first = pageAfter(sorted, 25);
    const changed = [summary('newest', at(3000)), ...sorted].filter(
      s => s.name !== first.items[3].name,
    );
    const second = pageAfter(changed, 25, first.next);
    expect(second.items).toEqual(sorted.slice(25, 50));
    const gone = changed.filter(s => s.name !== first.items[24].name);
    expect(pageAfter(gone, 25, first.next).items).toEqual(sorted.slice(25, 50));
  });

  it('has no next page at the end', () => {
    const page = pageAfter(sorted, 100);
    expect(page.items).toHaveLength(62);
    expect(page.next).toBeUndefined();
    expect(page.remaining).toBe(0);
    expect(pageAfter([], 25)).toEqual({ items: [], remaining: 0 });
  });

  it('unites the selectors, each workflow once (by uid)', () => {
    const a = [summary('x', at(3)), summary('y', at(1))];
    const b = [summary('z', at(2)), summary('y', at(1))];
    expect(unionNewestFirst([a, b]).map(s => s.name)).toEqual(['x', 'z', 'y']);
    expect(unionNewestFirst([a])).toBe(a);
  });

  it('makes opaque tokens bound to the selectors', () => {
    const token = encodeCachedPageToken('fp', { time: at(1), name: 'x' });
    expect(isCachedPageToken(token)).toBe(true);
    expect(decodeCachedPageToken('fp', token)).toEqual({
      time: at(1),
      name: 'x',
    });
    expect(() => decodeCachedPageToken('other', token)).toThrow(
      /selector or templates changed/,
    );
    expect(() => decodeCachedPageToken('fp', 'garbage')).toThrow(
      /Invalid continue token/,
    );
    const direct = Buffer.from(JSON.stringify({ f: 'fp', s: 0 })).toString(
      'base64url',
    );
    expect(isCachedPageToken(direct)).toBe(false);
    expect(isCachedPageToken('%%%')).toBe(false);
  });
});
