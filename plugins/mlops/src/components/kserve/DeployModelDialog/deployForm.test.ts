import { deployTargets } from '../../../__testUtils__/kserveFixtures';
import { formProblems, initialValues, serviceNameFor } from './deployForm';

describe('deployForm', () => {
  it('makes a DNS-1035 service name from a model name', () => {
    expect(serviceNameFor('fraud-detector')).toBe('fraud-detector');
    expect(serviceNameFor('Fraud_Detector.v2')).toBe('fraud-detector-v2');
    expect(serviceNameFor('2024 churn model')).toBe('churn-model');
    expect(serviceNameFor(`${'a'.repeat(44)}-b`)).toBe('a'.repeat(44));
    expect(serviceNameFor('123')).toBe('');
  });

  it('checks quantities, replicas and the canary share', () => {
    const values = {
      ...initialValues('fraud-detector', deployTargets.targets),
      canaryTrafficPercent: '100',
      cpuRequest: '500m',
      cpuLimit: 'lots',
      memoryRequest: '512Mi',
      memoryLimit: '1.5Gi',
      minReplicas: '3',
      maxReplicas: '2',
    };
    expect(formProblems(values, deployTargets.targets)).toEqual({
      canaryTrafficPercent: 'A whole number from 0 to 99',
      cpuLimit: 'A Kubernetes quantity, e.g. 500m, 1, 512Mi or 2Gi',
      maxReplicas: 'At least the minimum',
    });
    expect(
      formProblems(
        { ...values, target: 'prod/ml-serving' },
        deployTargets.targets,
      ).target,
    ).toBe('group:default/ml-team does not own namespace ml-serving on prod');
  });
});
