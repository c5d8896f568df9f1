import type { KubernetesCluster } from '@mlstack/plugin-mlops-node';
import { NotAllowedError } from '@backstage/errors';
import { WorkflowSummaryCaches } from './WorkflowSummaryCaches';
import {
  FakeWorkflowSource,
  summary,
} from '../../../__testUtils__/fakeWorkflowSource';
import { WatchError } from './watchStream';

const cluster = { name: 'c1' } as KubernetesCluster;

describe('WorkflowSummaryCaches', () => {
  let sources: Map<string, FakeWorkflowSource>;
  let caches: WorkflowSummaryCaches;
  const logger = { warn: jest.fn(), info: jest.fn() };

  const make = (
    options: Partial<
      ConstructorParameters<typeof WorkflowSummaryCaches>[0]
    > = {},
  ) =>
    new WorkflowSummaryCaches({
      logger,
      sourceFor: (_c, namespace, selector) => {
        const source = new FakeWorkflowSource();
        source.listResult = async () => ({
          items: [summary(`${namespace}-${selector}`, '2026-01-01T00:00:00Z')],
          resourceVersion: '1',
        });
        sources.set(`${namespace}/${selector}`, source);
        return source;
      },
      ...options,
    });

  beforeEach(() => {
    sources = new Map();
    caches = make();
  });
  afterEach(() => caches.stop());

  it('starts a scope on its first request and serves it from then on', async () => {
    expect(await caches.summaries(cluster, 'ns', 'a=1')).toEqual([
      summary('ns-a=1', '2026-01-01T00:00:00Z'),
    ]);
    await caches.summaries(cluster, 'ns', 'a=1');
    expect(sources.get('ns/a=1')!.lists).toBe(1);
    expect(caches.size).toBe(1);
  });

  it('rejects with the first list’s error and tries again on the next request', async () => {
    caches = make({
      sourceFor: () => {
        const source = new FakeWorkflowSource();
        source.listResult = async () => {
          throw new NotAllowedError('cannot list resource "workflows"');
        };
        sources.set('x', source);
        return source;
      },
    });
    await expect(caches.summaries(cluster, 'ns', 'a=1')).rejects.toThrow(
      NotAllowedError,
    );
    await Promise.resolve();
    expect(caches.size).toBe(0);
  });

  it('answers undefined (list directly) when the first list is slow', async () => {
    caches = make({
      readyTimeoutMs: 300,
      sourceFor: () => {
        const source = new FakeWorkflowSource();
        source.listResult = () => new Promise(() => {});
        return source;
      },
    });
    expect(await caches.summaries(cluster, 'ns', 'a=1')).toBeUndefined();
    // Later requests do not wait again.
    const started = Date.now();
    expect(await caches.summaries(cluster, 'ns', 'a=1')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(150);
  });

  it('answers undefined when the watch is forbidden', async () => {
    await caches.summaries(cluster, 'ns', 'a=1');
    sources.get('ns/a=1')!.current.handlers.onDone(new WatchError('no', 403));
    expect(await caches.summaries(cluster, 'ns', 'a=1')).toBeUndefined();
    expect(sources.get('ns/a=1')!.watches).toHaveLength(1);
  });

  it('answers undefined from the first request when the watch is refused at once', async () => {
    caches = make({
      sourceFor: () => {
        const source = new FakeWorkflowSource();
        source.onWatch = handlers =>
          handlers.onDone(new WatchError('cannot watch', 403));
        return source;
      },
    });
    expect(await caches.summaries(cluster, 'ns', 'a=1')).toBeUndefined();
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringMatching(/refuses to watch workflows/),
    );
  });

  it('drops the least recently used scope beyond its maximum, stopping its watch', async () => {
    caches = make({ maxScopes: 2 });
    await caches.summaries(cluster, 'ns', 'a=1');
    await caches.summaries(cluster, 'ns', 'b=1');
    await caches.summaries(cluster, 'ns', 'a=1');
    await caches.summaries(cluster, 'ns', 'c=1');
    expect(caches.size).toBe(2);
    expect(sources.get('ns/b=1')!.current.stopped).toBe(true);
    expect(sources.get('ns/a=1')!.current.stopped).toBe(false);
    await caches.summaries(cluster, 'ns', 'b=1');
    expect(sources.get('ns/a=1')!.current.stopped).toBe(true);
  });

  it('stops a scope without requests for idleMs', async () => {
    jest.useFakeTimers();
    try {
      caches = make({ idleMs: 60_000 });
      await caches.summaries(cluster, 'ns', 'a=1');
      await jest.advanceTimersByTimeAsync(30_000);
      await caches.summaries(cluster, 'ns', 'b=1');
      await jest.advanceTimersByTimeAsync(45_000);
      expect(sources.get('ns/a=1')!.current.stopped).toBe(true);
      expect(sources.get('ns/b=1')!.current.stopped).toBe(false);
      expect(caches.size).toBe(1);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(caches.size).toBe(0);
    } finally {
      jest.useRealTimers();
    }
  });

  it('adds a created workflow to the cached scopes named', async () => {
    await caches.summaries(cluster, 'ns', 'a=1');
    caches.noteCreated(
      cluster,
      'ns',
      ['a=1', 'b=1'],
      summary('new', '2026-01-02T00:00:00Z'),
    );
    expect((await caches.summaries(cluster, 'ns', 'a=1'))![0].name).toBe('new');
    expect(caches.size).toBe(1);
  });

  it('keys a scope by its parsed selector, not by its text', async () => {
    for (const selector of [
      'a=b,c=d',
      'c=d, a=b',
      'a==b,c=d',
      'a in (b),c==d',
    ]) {
      await caches.summaries(cluster, 'ns', selector);
    }
    expect([...sources.keys()]).toEqual(['ns/a=b,c=d']);
    expect(sources.get('ns/a=b,c=d')!.lists).toBe(1);
    expect(caches.size).toBe(1);
    caches.noteCreated(
      cluster,
      'ns',
      ['c=d,a==b'],
      summary('new', '2026-01-02T00:00:00Z'),
    );
    expect((await caches.summaries(cluster, 'ns', 'a=b,c=d'))![0].name).toBe(
      'new',
    );
    // Other selectors, namespaces and clusters are other scopes.
    await caches.summaries(cluster, 'ns', 'a=b,c!=d');
    await caches.summaries(cluster, 'other', 'c=d,a=b');
    await caches.summaries(
      { name: 'c2' } as KubernetesCluster,
      'ns',
      'a=b,c=d',
    );
    expect(caches.size).toBe(4);
  });

  describe('a scope dropped while its first list runs', () => {
    /** Scope `a=1` lists 3 pages, one per nextPage(); the others list at once. */
    const makePaged = (
      options: Partial<ConstructorParameters<typeof WorkflowSummaryCaches>[0]>,
    ) => {
      const paged = new FakeWorkflowSource();
      const pages = paged.pagedList(3);
      const caches_ = make({
        ...options,
        sourceFor: (_c, namespace, selector) => {
          const source = selector === 'a=1' ? paged : new FakeWorkflowSource();
          sources.set(`${namespace}/${selector}`, source);
          return source;
        },
      });
      return { paged, pages, caches: caches_ };
    };

    const expectListStopped = async (
      paged: FakeWorkflowSource,
      pages: { nextPage(): void; pagesRead(): number },
      read: number,
    ) => {
      expect(paged.listSignals[0]?.aborted).toBe(true);
      pages.nextPage();
      pages.nextPage();
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(pages.pagesRead()).toBe(read);
      expect(paged.lists).toBe(1);
      expect(paged.watches).toHaveLength(0);
    };

    it('stops it when the scope is evicted (least recently used)', async () => {
      const {
        paged,
        pages,
        caches: c,
      } = makePaged({
        maxScopes: 1,
        readyTimeoutMs: 5_000,
      });
      caches = c;
      const waiting = caches.summaries(cluster, 'ns', 'a=1');
      pages.nextPage();
      await new Promise(resolve => setTimeout(resolve, 10));
      expect(pages.pagesRead()).toBe(1);
      expect(paged.listSignals[0]?.aborted).toBe(false);
      const started = Date.now();
      await caches.summaries(cluster, 'ns', 'b=1');
      // The request that waited for the dropped scope lists directly, at once.
      expect(await waiting).toBeUndefined();
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(caches.size).toBe(1);
      await expectListStopped(paged, pages, 1);
    });

    it('stops it when the scope is idle for idleMs', async () => {
      const {
        paged,
        pages,
        caches: c,
      } = makePaged({
        idleMs: 50,
        readyTimeoutMs: 10,
      });
      caches = c;
      expect(await caches.summaries(cluster, 'ns', 'a=1')).toBeUndefined();
      await new Promise(resolve => setTimeout(resolve, 150));
      expect(caches.size).toBe(0);
      await expectListStopped(paged, pages, 0);
    });

    it('stops it when the caches are stopped', async () => {
      const { paged, pages, caches: c } = makePaged({ readyTimeoutMs: 5_000 });
      caches = c;
      const waiting = caches.summaries(cluster, 'ns', 'a=1');
      pages.nextPage();
      await new Promise(resolve => setTimeout(resolve, 10));
      pages.nextPage();
      await new Promise(resolve => setTimeout(resolve, 10));
      expect(pages.pagesRead()).toBe(2);
      caches.stop();
      expect(await waiting).toBeUndefined();
      await expectListStopped(paged, pages, 2);
    });
  });
});
