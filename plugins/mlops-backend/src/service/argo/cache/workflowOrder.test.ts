import { newestFirst, orderTime } from './workflowOrder';

describe('newestFirst', () => {
  it('orders by start time, newest first, whatever the creation times say', () => {
    // Copied into a cluster in one go: creation times say nothing about when runs ran.
    const runs = [
      {
        name: 'b',
        creationTimestamp: '2026-11-26T15:00:02Z',
        startedAt: '2026-11-20T10:00:00Z',
      },
      {
        name: 'a',
        creationTimestamp: '2026-11-26T15:00:01Z',
        startedAt: '2026-11-25T09:00:00Z',
      },
      {
        name: 'c',
        creationTimestamp: '2026-11-26T15:00:03Z',
        startedAt: '2026-11-22T08:00:00Z',
      },
    ];
    expect(runs.sort(newestFirst).map(r => r.name)).toEqual(['a', 'c', 'b']);
  });

  it('places a run that has not started by its creation time, and breaks ties by name', () => {
    const runs = [
      {
        name: 'started',
        creationTimestamp: '2026-11-26T10:00:00Z',
        startedAt: '2026-11-26T10:00:01Z',
      },
      { name: 'pending', creationTimestamp: '2026-11-26T11:00:00Z' },
      { name: 'y', creationTimestamp: '2026-11-26T09:00:00Z' },
      { name: 'x', creationTimestamp: '2026-11-26T09:00:00Z' },
      { name: 'no-times' },
    ];
    expect(runs.sort(newestFirst).map(r => r.name)).toEqual([
      'pending',
      'started',
      'x',
      'y',
      'no-times',
    ]);
    expect(orderTime({ name: 'no-times' })).toBe('');
  });
});
