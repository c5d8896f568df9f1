import type { Entity } from '@backstage/catalog-model';
import { parseNameList, readAnnotation } from './annotations';

describe('parseNameList', () => {
  it('splits, trims and de-duplicates names', () => {
    expect(
      parseNameList(' fraud-detector, fraud-detector-tuning ,fraud-detector,'),
    ).toEqual(['fraud-detector', 'fraud-detector-tuning']);
  });

  it('returns nothing for a missing or blank value', () => {
    expect(parseNameList(undefined)).toEqual([]);
    expect(parseNameList(' , ')).toEqual([]);
  });
});

describe('readAnnotation', () => {
  const entity = (annotations?: Record<string, string>): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'fraud-detector', annotations },
  });

  it('reads the value, trimmed', () => {
    expect(
      readAnnotation(
        entity({ 'backstage.io/kubernetes-namespace': ' ml-projects ' }),
        'backstage.io/kubernetes-namespace',
      ),
    ).toBe('ml-projects');
  });

  it('reads a missing, empty or blank value as absent', () => {
    const key = 'backstage.io/kubernetes-namespace';
    expect(readAnnotation(entity(), key)).toBeUndefined();
    expect(readAnnotation(entity({ [key]: '' }), key)).toBeUndefined();
    expect(readAnnotation(entity({ [key]: '  ' }), key)).toBeUndefined();
    expect(readAnnotation(entity({ other: 'x' }), key)).toBeUndefined();
  });
});
