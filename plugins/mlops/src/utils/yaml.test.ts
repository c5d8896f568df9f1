import { toYaml } from './yaml';

describe('toYaml', () => {
  it('writes a manifest in block style with two-space indents', () => {
    expect(
      toYaml({
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: {
          name: 'fraud-detector',
          annotations: { 'serving.kserve.io/deploymentMode': 'Standard' },
          labels: {},
        },
        spec: {
          predictor: {
            minReplicas: 1,
            model: {
              modelFormat: { name: 'sklearn' },
              storageUri: 's3://mlflow-artifacts/1/abc/artifacts/model',
              args: ['--workers', '2'],
            },
            canary: [{ name: 'canary', trafficPercent: 10 }],
            tolerations: [],
            skipped: undefined,
          },
        },
      }),
    ).toBe(
      [
        'apiVersion: serving.kserve.io/v1beta1',
        'kind: InferenceService',
        'metadata:',
        '  name: fraud-detector',
        '  annotations:',
        '    serving.kserve.io/deploymentMode: Standard',
        '  labels: {}',
        'spec:',
        '  predictor:',
        '    minReplicas: 1',
        '    model:',
        '      modelFormat:',
        '        name: sklearn',
        '      storageUri: s3://mlflow-artifacts/1/abc/artifacts/model',
        '      args:',
        '        - "--workers"',
        '        - "2"',
        '    canary:',
        '      - name: canary',
        '        trafficPercent: 10',
        '    tolerations: []',
        '',
      ].join('\n'),
    );
  });

  it('quotes strings YAML would read as something else', () => {
    expect(
      toYaml({
        a: 'true',
        b: '10',
        c: '',
        d: 'a: b',
        e: 'line 1\nline 2',
        f: 'No',
        g: null,
        h: false,
        'x y': '#comment',
      }),
    ).toBe(
      [
        'a: "true"',
        'b: "10"',
        'c: ""',
        'd: "a: b"',
        'e: "line 1\\nline 2"',
        'f: "No"',
        'g: null',
        'h: false',
        '"x y": "#comment"',
        '',
      ].join('\n'),
    );
  });

  it('writes scalars and empty documents inline', () => {
    expect(toYaml('hello')).toBe('hello\n');
    expect(toYaml({})).toBe('{}\n');
    expect(toYaml([[1, 2], { a: 1 }])).toBe('- - 1\n  - 2\n- a: 1\n');
  });
});
