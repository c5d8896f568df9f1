import {
  LabelSelectorSyntaxError,
  canonicalLabelSelector,
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

describe('canonicalLabelSelector', () => {
  const canonical = (text: string) =>
    canonicalLabelSelector(parseLabelSelector(text));

  it('gives one text for the ways of writing one selector', () => {
    const forms = [
      'a=b,c=d',
      'c=d, a=b',
      'a==b,c=d',
      ' c == d ,a=b',
      'a in (b),c=d',
      'a=b,c=d,a=b',
    ];
    expect(new Set(forms.map(canonical))).toEqual(new Set(['a=b,c=d']));
  });

  it('sorts set values, writes one-value sets as equalities, keeps the rest', () => {
    expect(
      canonical('tier notin (web, db),!legacy,env in (prod,dev,prod)'),
    ).toBe('env in (dev,prod),!legacy,tier notin (db,web)');
    expect(canonical('x notin (y)')).toBe('x!=y');
    expect(canonical('x != y')).toBe('x!=y');
    expect(canonical('gpu>007, app')).toBe('app,gpu>7');
    expect(canonical('a<3,a>1')).toBe('a<3,a>1');
    expect(canonical('a>1,a<3')).toBe('a<3,a>1');
  });

  it('keeps apart what selects differently', () => {
    expect(canonical('a=b')).not.toBe(canonical('a!=b'));
    expect(canonical('a in (b,c)')).not.toBe(canonical('a in (b)'));
    expect(canonical('a')).not.toBe(canonical('!a'));
  });

  it('is a selector the parser reads back to the same requirements', () => {
    for (const text of [
      'tier notin (web, db),!legacy,env in (prod,dev)',
      'example.com/team=ml,app',
      'a in (,b)',
      'a=',
    ]) {
      const once = canonical(text);
      expect(canonical(once)).toBe(once);
      const labels = {
        tier: 'api',
        env: 'prod',
        'example.com/team': 'ml',
        app: '',
        a: '',
      };
      expect(matchesLabelSelector(parseLabelSelector(once), labels)).toBe(
        matchesLabelSelector(parseLabelSelector(text), labels),
      );
    }
  });
});
