import { compareRows } from './compareRows';

describe('compareRows', () => {
  it('marks keys whose values differ or are missing in a run', () => {
    expect(
      compareRows([
        { lr: '0.1', depth: '8', seed: '1' },
        { lr: '0.1', depth: '16' },
      ]),
    ).toEqual([
      { key: 'depth', values: ['8', '16'], differs: true },
      { key: 'lr', values: ['0.1', '0.1'], differs: false },
      { key: 'seed', values: ['1', undefined], differs: true },
    ]);
  });
});
