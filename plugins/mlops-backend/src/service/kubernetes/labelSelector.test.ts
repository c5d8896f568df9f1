import {
  LabelSelectorSyntaxError,
  matchesLabelSelector,
  parseLabelSelector,
} from './labelSelector';

describe('parseLabelSelector', () => {
  it('parses every operator the API server knows', () => {
    expect(
      parseLabelSelector(
        'app.kubernetes.io/part-of=fraud, tier==ml,env!=dev, team in (a, b),stage notin (x),gpu,!legacy,rank>2,size<10',
      ),
    ).toEqual([
      { key: 'app.kubernetes.io/part-of', operator: 'in', values: ['fraud'] },
      { key: 'tier', operator: 'in', values: ['ml'] },
      { key: 'env', operator: 'notIn', values: ['dev'] },
      { key: 'team', operator: 'in', values: ['a', 'b'] },
      { key: 'stage', operator: 'notIn', values: ['x'] },
      { key: 'gpu', operator: 'exists' },
      { key: 'legacy', operator: 'doesNotExist' },
      { key: 'rank', operator: 'gt', value: 2 },
      { key: 'size', operator: 'lt', value: 10 },
    ]);
  });

  it('accepts an empty value, as `key=` selects labels set to ""', () => {
    expect(parseLabelSelector('a=')).toEqual([
      { key: 'a', operator: 'in', values: [''] },
    ]);
  });

  it.each([
    ['', /empty/],
    ['a=b,', /empty requirement/],
    ['a in (b', /'\(' without/],
    ['a in ((b))', /nested/],
    [
      'a=b c',
      /not a valid label value|not a requirement|not a valid label key/,
    ],
    ['Bad_Prefix/x=y', /invalid prefix/],
    ['-app=y', /not a valid label key/],
    [`a=${'x'.repeat(64)}`, /not a valid label value/],
    ['a>b', /needs an integer/],
    ['a=b=c', /not a valid label key/],
  ])('refuses %j', (selector, message) => {
    expect(() => parseLabelSelector(selector)).toThrow(
      LabelSelectorSyntaxError,
    );
    expect(() => parseLabelSelector(selector)).toThrow(message);
  });
});

describe('matchesLabelSelector', () => {
  const labels = { app: 'fraud', tier: 'ml', rank: '3' };

  it.each([
    ['app=fraud', true],
    ['app=other', false],
    ['app!=other', true],
    ['missing!=x', true],
    ['tier in (ml,web)', true],
    ['tier notin (ml)', false],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['rank>2', true],
    ['rank<3', false],
    ['app=fraud,tier=web', false],
  ])('%s → %s', (selector, expected) => {
    expect(matchesLabelSelector(parseLabelSelector(selector), labels)).toBe(
      expected,
    );
  });
});
