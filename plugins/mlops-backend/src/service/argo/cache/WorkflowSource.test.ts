import type {
  CustomObjectListOptions,
  CustomObjectPage,
  KubernetesCluster,
} from '@mlstack/plugin-mlops-node';
import { workflowObject } from '../../../__testUtils__/fakeWorkflowSource';
import { kubernetesWorkflowSource } from './WorkflowSource';

/** A cluster whose list calls the test answers one by one. */
function pagingCluster() {
  const calls: CustomObjectListOptions[] = [];
  const pending: Array<(page: CustomObjectPage) => void> = [];
  const cluster = {
    name: 'c1',
    requestTimeoutMs: 5000,
    listCustomObjects: async (
      _type: unknown,
      _namespace: string | undefined,
      options: CustomObjectListOptions = {},
    ) => {
      calls.push(options);
      return new Promise<CustomObjectPage>((resolve, reject) => {
        pending.push(resolve);
        options.signal?.addEventListener(
          'abort',
          () => reject(options.signal!.reason),
          { once: true },
        );
      });
    },
  } as unknown as KubernetesCluster;
  return {
    cluster,
    calls,
    answer: (page: CustomObjectPage) => pending.shift()!(page),
  };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));

describe('kubernetesWorkflowSource', () => {
  it('reads every page, in pages of 500, and returns the last resourceVersion', async () => {
    const { cluster, calls, answer } = pagingCluster();
    const listing = kubernetesWorkflowSource(cluster, 'ns', 'a=1').list();
    await tick();
    answer({
      items: [workflowObject('w1', '2026-01-01T00:00:00Z')],
      continueToken: 'next',
      resourceVersion: '5',
    });
    await tick();
    answer({
      items: [workflowObject('w2', '2026-01-02T00:00:00Z')],
      resourceVersion: '6',
    });
    const list = await listing;
    expect(list.items.map(i => i.name)).toEqual(['w1', 'w2']);
    expect(list.resourceVersion).toBe('6');
    expect(calls.map(c => [c.labelSelector, c.limit, c.continueToken])).toEqual(
      [
        ['a=1', 500, undefined],
        ['a=1', 500, 'next'],
      ],
    );
  });

  it('aborts the page in flight and reads no further page when its signal fires', async () => {
    const { cluster, calls, answer } = pagingCluster();
    const controller = new AbortController();
    const listing = kubernetesWorkflowSource(cluster, 'ns', 'a=1').list(
      controller.signal,
    );
    const outcome = listing.then(
      () => 'listed',
      (error: Error) => error.message,
    );
    await tick();
    answer({ items: [], continueToken: 'p2', resourceVersion: '5' });
    await tick();
    expect(calls).toHaveLength(2);
    expect(calls[1].signal).toBe(controller.signal);
    controller.abort(new Error('scope dropped'));
    expect(await outcome).toBe('scope dropped');
    await tick();
    expect(calls).toHaveLength(2);
  });

  it('reads no further page when the signal fires between two pages', async () => {
    const { cluster, calls, answer } = pagingCluster();
    const controller = new AbortController();
    const listing = kubernetesWorkflowSource(cluster, 'ns', 'a=1').list(
      controller.signal,
    );
    await tick();
    // The answer arrives, then the scope is dropped before the next page is asked for.
    answer({ items: [], continueToken: 'p2', resourceVersion: '5' });
    controller.abort(new Error('scope dropped'));
    await expect(listing).rejects.toThrow('scope dropped');
    expect(calls).toHaveLength(1);
  });
});
