import { mapWithConcurrency } from './mapWithConcurrency';

describe('mapWithConcurrency', () => {
  it('keeps the order of the items and never runs more than the limit at once', async () => {
    let running = 0;
    let most = 0;
    const results = await mapWithConcurrency(
      [30, 5, 20, 1, 10],
      2,
      async ms => {
        running += 1;
        most = Math.max(most, running);
        await new Promise(resolve => setTimeout(resolve, ms));
        running -= 1;
        return ms * 2;
      },
    );
    expect(results).toEqual([60, 10, 40, 2, 20]);
    expect(most).toBe(2);
  });
});
