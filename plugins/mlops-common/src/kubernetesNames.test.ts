import {
  INFERENCE_SERVICE_NAME_MAX_LENGTH,
  dns1035LabelProblem,
  dns1123LabelProblem,
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
});
