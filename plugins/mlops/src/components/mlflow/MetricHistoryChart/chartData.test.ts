import { mergeHistories } from './chartData';

describe('mergeHistories', () => {
  it('aligns runs on steps, last value per step winning', () => {
    expect(
      mergeHistories([
        {
          runId: 'a',
          key: 'loss',
          points: [
            { key: 'loss', step: 1, value: 0.5, timestamp: 2 },
            { key: 'loss', step: 0, value: 0.9, timestamp: 1 },
            { key: 'loss', step: 1, value: 0.4, timestamp: 3 },
          ],
        },
        {
          runId: 'b',
          key: 'loss',
          points: [{ key: 'loss', step: 2, value: 0.3, timestamp: 1 }],
        },
      ]),
    ).toEqual([
      { step: 0, a: 0.9 },
      { step: 1, a: 0.4 },
      { step: 2, b: 0.3 },
    ]);
  });
});
