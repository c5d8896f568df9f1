import { readSubmittableParameters } from './submittableParameters';

const ANNOTATION = 'mlstack.io/submittable-parameters';

describe('readSubmittableParameters', () => {
  it('lists nothing without the annotation', () => {
    const result = readSubmittableParameters({});
    expect([...result.patterns.keys()]).toEqual([]);
    expect(result.error).toBeUndefined();
  });

  it('anchors each pattern to the whole value', () => {
    const { patterns, error } = readSubmittableParameters({
      [ANNOTATION]: '{"epochs": "[0-9]{1,3}", "data-version": "^[a-f0-9]{7}$"}',
    });
    expect(error).toBeUndefined();
    expect(patterns.get('epochs')!.regex.test('12')).toBe(true);
    expect(patterns.get('epochs')!.regex.test('12; rm -rf /')).toBe(false);
    expect(patterns.get('epochs')!.regex.test('1234')).toBe(false);
    expect(patterns.get('data-version')!.regex.test('abcdef0')).toBe(true);
    expect(patterns.get('data-version')!.regex.test('abcdef0\n')).toBe(false);
  });

  it('keeps an alternation inside the anchors', () => {
    const { patterns } = readSubmittableParameters({
      [ANNOTATION]: '{"mode": "fast|full"}',
    });
    expect(patterns.get('mode')!.regex.test('fast')).toBe(true);
    expect(patterns.get('mode')!.regex.test('fastest')).toBe(false);
    expect(patterns.get('mode')!.regex.test('xfull')).toBe(false);
  });

  it.each([
    ['not json', /not JSON/],
    ['["epochs"]', /must be a JSON object/],
    ['"epochs"', /must be a JSON object/],
    ['{"epochs": 3}', /the pattern of 'epochs' is not a string/],
    ['{"epochs": "("}', /the pattern of 'epochs' is not a regular expression/],
    [`{"epochs": "${'a'.repeat(501)}"}`, /longer than 500 characters/],
  ])('ignores an invalid annotation %s and says why', (value, why) => {
    const result = readSubmittableParameters({ [ANNOTATION]: value });
    expect([...result.patterns.keys()]).toEqual([]);
    expect(result.error).toMatch(
      /^the mlstack.io\/submittable-parameters annotation is invalid: /,
    );
    expect(result.error).toMatch(why);
  });
});
