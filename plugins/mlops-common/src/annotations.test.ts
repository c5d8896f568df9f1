import { parseNameList } from './annotations';

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
