import {
  durationBetween,
  numberAt,
  readMetadata,
  scalarAsString,
  stringMapAt,
  timeAt,
  withoutUndefined,
} from './objects';

describe('plain object readers', () => {
  it('read scalars defensively', () => {
    expect(scalarAsString(3)).toBe('3');
    expect(scalarAsString(false)).toBe('false');
    expect(scalarAsString('')).toBe('');
    expect(scalarAsString({})).toBeUndefined();
    expect(numberAt('12')).toBe(12);
    expect(numberAt(' ')).toBeUndefined();
    expect(numberAt(Infinity)).toBeUndefined();
  });

  it('read times and durations', () => {
    expect(timeAt(null)).toBeUndefined();
    expect(timeAt('')).toBeUndefined();
    expect(timeAt('yesterday')).toBeUndefined();
    expect(timeAt('2024-10-01T04:27:23Z')).toBe('2024-10-01T04:27:23Z');
    expect(
      durationBetween('2024-10-01T04:27:23Z', '2024-10-01T04:27:42Z'),
    ).toBe(19000);
    expect(
      durationBetween('2024-10-01T04:27:42Z', '2024-10-01T04:27:23Z'),
    ).toBeUndefined();
    expect(durationBetween(undefined, '2024-10-01T04:27:23Z')).toBeUndefined();
  });

  it('read metadata without managedFields', () => {
    expect(
      readMetadata({
        metadata: {
          name: 'a',
          namespace: 'b',
          generation: 2,
          labels: { x: 'y', n: 1, bad: {} },
          managedFields: [{ manager: 'm' }],
        },
      }),
    ).toEqual({
      name: 'a',
      namespace: 'b',
      generation: 2,
      labels: { x: 'y', n: '1' },
      annotations: {},
      uid: undefined,
      creationTimestamp: undefined,
    });
    expect(stringMapAt([1, 2])).toEqual({});
    expect(withoutUndefined({ a: 1, b: undefined })).toEqual({ a: 1 });
  });
});
