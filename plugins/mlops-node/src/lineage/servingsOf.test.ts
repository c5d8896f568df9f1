import { aService, record } from './__testUtils__/lineageFixtures';
import { servingsOf } from './servingsOf';

describe('servingsOf', () => {
  it('gives a service without a canary all traffic on its recorded version', () => {
    const servings = servingsOf(
      aService('fraud', {
        servedModel: record('3'),
        latestReadyRevision: 'fraud-predictor-00002',
      }),
    );
    expect(servings).toEqual([
      {
        role: 'stable',
        modelName: 'fraud-detector',
        version: '3',
        instance: 'default',
        trafficPercent: 100,
        ready: true,
        revision: 'fraud-predictor-00002',
      },
    ]);
  });

  it('splits traffic between the stable predictor and a Standard-mode canary', () => {
    const servings = servingsOf(
      aService('fraud', {
        servedModel: record('3'),
        canaryModel: record('4'),
        canaries: [
          {
            name: 'fraud-detector-v4',
            trafficPercent: 20,
            predictor: {},
            ready: false,
          },
        ],
      }),
    );
    expect(
      servings.map(s => [
        s.role,
        s.version,
        s.trafficPercent,
        s.ready,
        s.revision,
      ]),
    ).toEqual([
      ['stable', '3', 80, true, undefined],
      ['canary', '4', 20, false, 'fraud-detector-v4'],
    ]);
  });

  it('reads a Knative canary from canaryTrafficPercent and its revisions from the traffic', () => {
    const servings = servingsOf(
      aService('fraud', {
        deploymentMode: 'Knative',
        servedModel: record('3'),
        // The spec's predictor now holds the canary's model: the URI match names v4.
        modelVersion: {
          instance: 'default',
          modelName: 'fraud-detector',
          version: '4',
          aliases: [],
          uiUrl: '',
        },
        predictor: { canaryTrafficPercent: 10 },
        traffic: [
          { revisionName: 'fraud-predictor-00001', percent: 90, latest: false },
          { revisionName: 'fraud-predictor-00002', percent: 10, latest: true },
        ],
      }),
    );
    expect(
      servings.map(s => [s.role, s.version, s.trafficPercent, s.revision]),
    ).toEqual([
      ['stable', '3', 90, 'fraud-predictor-00001'],
      ['canary', '4', 10, 'fraud-predictor-00002'],
    ]);
  });

  it('falls back on the storage URI match when the portal left no record', () => {
    const [stable] = servingsOf(
      aService('fraud', {
        modelVersion: {
          instance: 'default',
          modelName: 'fraud-detector',
          version: '2',
          aliases: [],
          uiUrl: '',
        },
      }),
    );
    expect([stable.modelName, stable.version]).toEqual(['fraud-detector', '2']);
  });

  it('leaves the version unknown when nothing names it', () => {
    const [stable] = servingsOf(aService('other'));
    expect(stable.version).toBeUndefined();
    expect(stable.trafficPercent).toBe(100);
  });
});
