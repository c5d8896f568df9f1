import {
  INFERENCE_SERVICE_NAME_MAX_LENGTH,
  dns1035LabelProblem,
  dns1123LabelProblem,
  isDns1123Label,
  isDns1123Subdomain,
} from './kubernetesNames';

const DNS1035 =
  "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit";
const DNS1123 =
  "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit";

describe('Kubernetes name rules', () => {
  it.each([
    ['fraud-detector', undefined],
    ['f', undefined],
    ['', 'must not be empty'],
    ['1fraud', DNS1035],
    ['Fraud', DNS1035],
    ['fraud_detector', DNS1035],
    ['fraud-', DNS1035],
    [`f${'x'.repeat(45)}`, 'is 46 characters long; at most 45 are allowed'],
  ])('DNS-1035 (InferenceService names): %j → %s', (name, problem) => {
    expect(
      dns1035LabelProblem(name, INFERENCE_SERVICE_NAME_MAX_LENGTH),
    ).toEqual(problem);
  });

  it.each([
    ['ml-projects', undefined],
    ['1-team', undefined],
    ['-team', DNS1123],
    ['Team', DNS1123],
    ['x'.repeat(64), 'is 64 characters long; at most 63 are allowed'],
  ])('DNS-1123 (namespaces): %j → %s', (name, problem) => {
    expect(dns1123LabelProblem(name)).toEqual(problem);
  });

  it.each([
    ['ml-projects', true],
    ['1-team', true],
    ['x'.repeat(63), true],
    ['x'.repeat(64), false],
    ['', false],
    ['-team', false],
    ['team-', false],
    ['Team', false],
    ['team.a', false],
  ])('DNS-1123 label (namespaces, containers): %j → %s', (name, valid) => {
    expect(isDns1123Label(name)).toBe(valid);
  });

  it.each([
    ['fraud-detector-predictor', true],
    ['kserve.io', true],
    ['a.b-c.d', true],
    [`${'x'.repeat(63)}.${'y'.repeat(189)}`, true],
    [`${'x'.repeat(63)}.${'y'.repeat(190)}`, false],
    ['', false],
    ['a..b', false],
    ['.a', false],
    ['a.', false],
    ['A.b', false],
    ['a_b', false],
  ])(
    'DNS-1123 subdomain (object names, label prefixes): %j → %s',
    (name, valid) => {
      expect(isDns1123Subdomain(name)).toBe(valid);
    },
  );
});
