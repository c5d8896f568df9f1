import { canaryRuleProblems } from './canaryRules';

const model = (version: string) => ({
  modelFormat: { name: 'sklearn' },
  runtime: 'kserve-sklearnserver',
  storageUri: `s3://mlflow-artifacts/3/models/m-${version}/artifacts`,
});

/** A Standard-mode spec: a stable predictor and the given canary entries. */
function spec(canary: unknown, stable: Record<string, unknown> = {}) {
  return {
    predictor: { name: 'stable', minReplicas: 2, model: model('1'), ...stable },
    canary,
  };
}

const entry = (
  name: string | undefined,
  trafficPercent: unknown,
  predictor: Record<string, unknown> = {},
) => ({
  trafficPercent,
  predictor: {
    ...(name === undefined ? {} : { name }),
    model: model('2'),
    ...predictor,
  },
});

describe('canaryRuleProblems (KServe v0.20 spec.canary validation)', () => {
  it('finds nothing wrong with no canary, an empty list, or a valid entry', () => {
    expect(canaryRuleProblems({ predictor: {} }, 'Standard')).toEqual([]);
    expect(canaryRuleProblems(spec([]), 'Standard')).toEqual([]);
    expect(canaryRuleProblems(spec([]), 'Knative')).toEqual([]);
    expect(
      canaryRuleProblems(
        spec([entry('v2', 20, { minReplicas: 2 }), entry('v3', 0)]),
        'Standard',
      ),
    ).toEqual([]);
    // a dark launch at 0 %, and all of the traffic, are both allowed
    expect(canaryRuleProblems(spec([entry('v2', 100)]), 'Standard')).toEqual(
      [],
    );
  });

  it('allows spec.canary only in Standard mode', () => {
    expect(canaryRuleProblems(spec([entry('v2', 10)]), 'Knative')).toEqual([
      'spec.canary is for Standard mode only; in Knative mode a canary is spec.predictor.canaryTrafficPercent',
    ]);
    expect(canaryRuleProblems(spec([entry('v2', 10)]), 'ModelMesh')).toEqual([
      expect.stringContaining('in ModelMesh mode'),
    ]);
  });

  it('requires a name on each canary predictor', () => {
    expect(
      canaryRuleProblems(spec([entry(undefined, 10)]), 'Standard'),
    ).toEqual(['spec.canary[0].predictor.name is required']);
    expect(canaryRuleProblems(spec([entry('', 10)]), 'Standard')).toEqual([
      'spec.canary[0].predictor.name is required',
    ]);
  });

  it('refuses the stable predictor’s name', () => {
    expect(canaryRuleProblems(spec([entry('stable', 10)]), 'Standard')).toEqual(
      ["spec.canary[0].predictor.name 'stable' is the stable predictor's name"],
    );
  });

  it('refuses a name used twice', () => {
    expect(
      canaryRuleProblems(
        spec([entry('v2', 10), entry('v3', 10), entry('v2', 10)]),
        'Standard',
      ),
    ).toEqual(["spec.canary[2].predictor.name 'v2' is used twice"]);
  });

  it('refuses percentages outside 0–100, and a total over 100', () => {
    expect(
      canaryRuleProblems(
        spec([entry('a', -1), entry('b', 101), entry('c', 'lots')]),
        'Standard',
      ),
    ).toEqual([
      'spec.canary[0].trafficPercent must be 0 to 100',
      'spec.canary[1].trafficPercent must be 0 to 100',
      'spec.canary[2].trafficPercent must be 0 to 100',
    ]);
    expect(
      canaryRuleProblems(spec([entry('a', 60), entry('b', 41)]), 'Standard'),
    ).toEqual(['the canaries take 101 % of the traffic; at most 100 %']);
    expect(
      canaryRuleProblems(spec([entry('a', 60), entry('b', 40)]), 'Standard'),
    ).toEqual([]);
  });

  it('refuses each autoscaling field on a canary', () => {
    expect(
      canaryRuleProblems(
        spec([
          entry('v2', 10, {
            scaleTarget: 80,
            scaleMetric: 'cpu',
            scaleMetricType: 'Utilization',
            autoScaling: { metrics: [] },
          }),
        ]),
        'Standard',
      ),
    ).toEqual([
      'spec.canary[0].predictor.scaleTarget: autoscaling belongs to the stable predictor',
      'spec.canary[0].predictor.scaleMetric: autoscaling belongs to the stable predictor',
      'spec.canary[0].predictor.scaleMetricType: autoscaling belongs to the stable predictor',
      'spec.canary[0].predictor.autoScaling: autoscaling belongs to the stable predictor',
    ]);
  });

  it('refuses a workerSpec on a canary', () => {
    expect(
      canaryRuleProblems(
        spec([entry('v2', 10, { workerSpec: { tensorParallelSize: 2 } })]),
        'Standard',
      ),
    ).toEqual([
      'spec.canary[0].predictor.workerSpec is not allowed on a canary',
    ]);
  });

  it('refuses more minReplicas than the stable predictor’s (1 when it sets none)', () => {
    expect(
      canaryRuleProblems(
        spec([entry('v2', 10, { minReplicas: 3 })]),
        'Standard',
      ),
    ).toEqual([
      "spec.canary[0].predictor.minReplicas 3 is more than the stable predictor's 2",
    ]);
    expect(
      canaryRuleProblems(
        spec([entry('v2', 10, { minReplicas: 2 })], { minReplicas: undefined }),
        'Standard',
      ),
    ).toEqual([
      "spec.canary[0].predictor.minReplicas 2 is more than the stable predictor's 1",
    ]);
    expect(
      canaryRuleProblems(
        spec([entry('v2', 10, { minReplicas: 1 })], { minReplicas: 0 }),
        'Standard',
      ),
    ).toEqual([
      "spec.canary[0].predictor.minReplicas 1 is more than the stable predictor's 0",
    ]);
  });

  it('reports every broken rule at once', () => {
    expect(
      canaryRuleProblems(
        spec([entry('stable', 80, { scaleTarget: 1 }), entry('v3', 30)]),
        'Knative',
      ),
    ).toHaveLength(4);
  });
});
