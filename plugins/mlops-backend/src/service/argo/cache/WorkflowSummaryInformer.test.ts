import { mockServices } from '@backstage/backend-test-utils';
import { NotAllowedError } from '@backstage/errors';
import { WorkflowSummaryInformer } from './WorkflowSummaryInformer';
import {
  FakeWorkflowSource,
  summary,
  workflowObject,
} from '../../../__testUtils__/fakeWorkflowSource';
import { WatchError } from './watchStream';

const names = (informer: WorkflowSummaryInformer) =>
  informer.sorted().map(s => s.name);

describe('WorkflowSummaryInformer', () => {
  let source: FakeWorkflowSource;
  let logger: { warn: jest.Mock; info: jest.Mock };
  let informer: WorkflowSummaryInformer;

  beforeEach(() => {
    jest.useFakeTimers();
    source = new FakeWorkflowSource();
    source.listResult = async () => ({
      items: [
        summary('b', '2026-01-01T00:00:01Z'),
        summary('a', '2026-01-01T00:00:02Z'),
      ],
      resourceVersion: '10',
    });
    logger = { warn: jest.fn(), info: jest.fn() };
    informer = new WorkflowSummaryInformer({
      source,
      description: 'test scope',
      logger,
    });
  });

  afterEach(() => {
    informer.stop();
    jest.useRealTimers();
  });

  it('lists, then watches from the list’s resourceVersion and applies the events', async () => {
    await informer.start();
    expect(informer.usable).toBe(true);
    expect(names(informer)).toEqual(['a', 'b']);
    expect(source.current.resourceVersion).toBe('10');
    const { handlers } = source.current;
    handlers.onOpen?.();
    handlers.onEvent({
      type: 'ADDED',
      object: workflowObject('c', '2026-01-01T00:00:03Z', {}, '11'),
    });
    handlers.onEvent({
      type: 'DELETED',
      object: workflowObject('b', '', {}, '12'),
    });
    expect(names(informer)).toEqual(['c', 'a']);
    handlers.onEvent({
      type: 'BOOKMARK',
      object: { metadata: { resourceVersion: '15' } },
    });
    // A normal end of the stream (its timeout) watches again from the last resourceVersion.
    jest.advanceTimersByTime(5000);
    handlers.onDone();
    expect(source.watches).toHaveLength(2);
    expect(source.current.resourceVersion).toBe('15');
    expect(source.lists).toBe(1);
  });

  it('keeps only the summary of each workflow', async () => {
    await informer.start();
    source.current.handlers.onEvent({
      type: 'MODIFIED',
      object: {
        ...workflowObject('a', '2026-01-01T00:00:02Z'),
        status: { phase: 'Failed', nodes: { n: { id: 'n', type: 'Pod' } } },
      },
    });
    const [a] = informer.sorted();
    expect(a).toMatchObject({ name: 'a', phase: 'Failed' });
    expect(a).not.toHaveProperty('nodes');
    expect(a).not.toHaveProperty('status');
  });

  it('lists again on 410 Gone, as an event or as the answer', async () => {
    await informer.start();
    source.listResult = async () => ({
      items: [summary('z', '2026-01-01T00:00:09Z')],
      resourceVersion: '20',
    });
    source.current.handlers.onEvent({
      type: 'ERROR',
      object: {
        kind: 'Status',
        code: 410,
        message: 'too old resource version',
      },
    });
    expect(source.watches[0].stopped).toBe(true);
    await jest.advanceTimersByTimeAsync(0);
    expect(source.lists).toBe(2);
    expect(names(informer)).toEqual(['z']);
    expect(source.current.resourceVersion).toBe('20');
    source.current.handlers.onDone(new WatchError('gone', 410));
    await jest.advanceTimersByTimeAsync(0);
    expect(source.lists).toBe(3);
    expect(informer.usable).toBe(true);
  });

  it('stops and is not used when the watch is forbidden, saying so once', async () => {
    await informer.start();
    source.current.handlers.onDone(new WatchError('HTTP 403', 403));
    expect(informer.state).toBe('forbidden');
    expect(informer.usable).toBe(false);
    expect(logger.warn).toHaveBeenCalledTimes(1);
    expect(logger.warn.mock.calls[0][0]).toMatch(/watch.*workflows/);
    await jest.advanceTimersByTimeAsync(120_000);
    expect(source.watches).toHaveLength(1);
  });

  it('retries a failing watch with backoff; not used while it keeps failing, used again once it works', async () => {
    await informer.start();
    source.onWatch = () => {}; // the new watches neither open nor end by themselves
    const fail = () => source.current.handlers.onDone(new Error('ECONNRESET'));
    fail();
    expect(informer.usable).toBe(true);
    await jest.advanceTimersByTimeAsync(999);
    expect(source.watches).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1);
    expect(source.watches).toHaveLength(2);
    fail();
    await jest.advanceTimersByTimeAsync(2000);
    expect(source.watches).toHaveLength(3);
    fail();
    expect(informer.state).toBe('failing');
    expect(logger.warn).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(4000);
    expect(source.watches).toHaveLength(4);
    expect(source.current.resourceVersion).toBe('10');
    fail();
    expect(logger.warn).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(8000);
    source.current.handlers.onOpen?.();
    expect(informer.usable).toBe(true);
  });

  it('counts a watch that closes at once as a failure', async () => {
    await informer.start();
    source.onWatch = () => {};
    source.current.handlers.onDone();
    expect(source.watches).toHaveLength(1);
    await jest.advanceTimersByTimeAsync(1000);
    expect(source.watches).toHaveLength(2);
  });

  it('rejects start with the first list’s error', async () => {
    source.listResult = async () => {
      throw new NotAllowedError('cannot list resource "workflows"');
    };
    await expect(informer.start()).rejects.toThrow(/cannot list/);
    expect(source.watches).toHaveLength(0);
  });

  it('adds a created workflow unless the watch brought it already', async () => {
    await informer.start();
    informer.noteCreated(summary('new', '2026-01-01T00:00:05Z'));
    informer.noteCreated({
      ...summary('a', '2026-01-01T00:00:02Z'),
      phase: 'Pending',
    });
    expect(names(informer)).toEqual(['new', 'a', 'b']);
    expect(informer.sorted()[1].phase).toBe('Succeeded');
  });

  it('stops its list when stopped: the list’s signal fires and start() rejects', async () => {
    const pages = source.pagedList(3);
    const started = informer.start();
    const outcome = started.then(
      () => 'resolved',
      (error: Error) => error.name,
    );
    pages.nextPage();
    await jest.advanceTimersByTimeAsync(0);
    expect(pages.pagesRead()).toBe(1);
    expect(source.listSignals[0]?.aborted).toBe(false);
    informer.stop();
    expect(source.listSignals[0]?.aborted).toBe(true);
    expect(await outcome).toBe('AbortError');
    pages.nextPage();
    await jest.advanceTimersByTimeAsync(0);
    expect(pages.pagesRead()).toBe(1);
    expect(source.watches).toHaveLength(0);
    expect(informer.state).toBe('stopped');
  });

  it('rejects start() when stopped during a list that ignores its signal', async () => {
    let finish: () => void = () => undefined;
    source.listResult = () =>
      new Promise(resolve => {
        finish = () => resolve({ items: [], resourceVersion: '1' });
      });
    const started = informer.start();
    await jest.advanceTimersByTimeAsync(0);
    informer.stop();
    finish();
    await expect(started).rejects.toMatchObject({ name: 'AbortError' });
    expect(source.watches).toHaveLength(0);
  });
});

it('uses the mock logger type', () => {
  // WorkflowSummaryInformer accepts a Backstage logger.
  expect(
    () =>
      new WorkflowSummaryInformer({
        source: new FakeWorkflowSource(),
        description: 'x',
        logger: mockServices.logger.mock(),
      }),
  ).not.toThrow();
});
