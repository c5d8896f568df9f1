import {
  matchesWholly,
  PATTERN_TIMEOUT_MS,
  readSubmittableParameters,
} from './submittableParameters';

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

describe('matchesWholly', () => {
  it('matches the whole value only', () => {
    expect(matchesWholly('[0-9]{1,3}', '123', 'p')).toBe(true);
    expect(matchesWholly('[0-9]{1,3}', '1234', 'p')).toBe(false);
    expect(matchesWholly('fast|full', 'fastest', 'p')).toBe(false);
  });

  it('refuses a catastrophically backtracking pattern within its timeout, and stays usable', () => {
    expect(() =>
      matchesWholly(
        '(a*)*b',
        'a'.repeat(40),
        "Parameter 'p' of WorkflowTemplate 't'",
      ),
    ).toThrow(
      `Parameter 'p' of WorkflowTemplate 't': its pattern (a*)*b took longer than ${PATTERN_TIMEOUT_MS} ms on this value; the template's mlstack.io/submittable-parameters annotation needs a simpler pattern`,
    );
    // The error above is the interruption: run to the end, the match takes minutes.
    expect(matchesWholly('[a-z]+', 'abc', 'p')).toBe(true);
  });

  it('names a pattern that does not compile', () => {
    expect(() => matchesWholly('(', 'x', "Parameter 'p'")).toThrow(
      "Parameter 'p': the pattern ( is not a regular expression",
    );
  });
});
