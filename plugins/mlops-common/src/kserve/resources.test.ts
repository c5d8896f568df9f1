import { quantityValue, resourceProblems } from './resources';

describe('deploy resources', () => {
  it.each([
    ['500m', 0.5],
    ['2', 2],
    ['1.5', 1.5],
    ['512Mi', 512 * 2 ** 20],
    ['1G', 1e9],
    ['lots', undefined],
    ['1 Gi', undefined],
  ])('quantity %s is %s', (quantity, value) => {
    expect(quantityValue(quantity)).toBe(value);
  });

  it('finds a limit below its request, in any units', () => {
    expect(
      resourceProblems({
        cpuRequest: '2',
        cpuLimit: '1500m',
        memoryRequest: '1Gi',
        memoryLimit: '1000Mi',
      }),
    ).toEqual([
      'the cpu limit 1500m is below its request 2',
      'the memory limit 1000Mi is below its request 1Gi',
    ]);
    expect(
      resourceProblems({
        cpuRequest: '500m',
        cpuLimit: '1',
        memoryLimit: '1Gi',
      }),
    ).toEqual([]);
    expect(resourceProblems()).toEqual([]);
  });
});
