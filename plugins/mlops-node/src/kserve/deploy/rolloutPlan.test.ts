import { ConflictError } from '@backstage/errors';
import {
  CANARY_MODEL_ANNOTATION,
  SERVED_MODEL_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import { objectAt } from '../../kubernetes/objects';
import { planDeploy } from './deployPlan';
import { planPromote, planRollback, planStop } from './rolloutPlan';
import {
  annotationsOfObject,
  createdService,
  planInput,
  record,
  serviceWithCanary,
  specOf,
  storageUriOf,
  stored,
} from './__testUtils__/inferenceServices';

const sklearnModel = (version: string) => ({
  modelFormat: { name: 'sklearn' },
  runtime: 'kserve-sklearnserver',
  protocolVersion: 'v2',
  storageUri: storageUriOf(version),
});

const served = (object: unknown) =>
  annotationsOfObject(object)[SERVED_MODEL_ANNOTATION];
const canary = (object: unknown) =>
  annotationsOfObject(object)[CANARY_MODEL_ANNOTATION];
const resourceVersionOf = (object: unknown) =>
  objectAt(objectAt(object).metadata).resourceVersion;

describe('planPromote', () => {
  it('Standard: merges the canary predictor over the stable one, with its name but not its container name, and removes the entry', () => {
    const current = serviceWithCanary('Standard', 20, {
      minReplicas: 2,
      maxReplicas: 5,
      serviceAccountName: 'kserve-s3',
      resources: { memoryLimit: '1Gi' },
    });
    // the canary entry as planDeploy wrote it: no maxReplicas, its own resources
    expect(specOf(current).canary).toEqual([
      {
        trafficPercent: 20,
        predictor: {
          name: 'v2',
          serviceAccountName: 'kserve-s3',
          minReplicas: 2,
          model: {
            ...sklearnModel('2'),
            name: 'kserve-container',
            resources: { limits: { memory: '1Gi' } },
          },
        },
      },
    ]);
    objectAt(objectAt(specOf(current).predictor).model).runtimeVersion = '1.5';

    const plan = planPromote(current);
    expect(specOf(plan.manifest)).toEqual({
      predictor: {
        name: 'v2',
        serviceAccountName: 'kserve-s3',
        minReplicas: 2,
        maxReplicas: 5,
        // no model name: KServe's webhook refuses one on spec.predictor
        model: {
          ...sklearnModel('2'),
          runtimeVersion: '1.5',
          resources: { limits: { memory: '1Gi' } },
        },
      },
    });
    expect(JSON.parse(served(plan.manifest))).toEqual(record('2'));
    expect(canary(plan.manifest)).toBeUndefined();
    expect(plan.serving).toEqual(record('2'));
    expect(plan.retired).toEqual(record('1'));
    expect(resourceVersionOf(plan.manifest)).toBe(resourceVersionOf(current));
  });

  it('Knative: removes canaryTrafficPercent, so the latest revision takes all traffic', () => {
    const current = serviceWithCanary('Knative', 10);
    expect(specOf(current).predictor).toMatchObject({
      canaryTrafficPercent: 10,
    });
    const plan = planPromote(current);
    expect(specOf(plan.manifest)).toEqual({
      predictor: { model: sklearnModel('2') },
    });
    expect(JSON.parse(served(plan.manifest))).toEqual(record('2'));
    expect(canary(plan.manifest)).toBeUndefined();
    expect(plan.serving).toEqual(record('2'));
    expect(plan.retired).toEqual(record('1'));
  });

  it('drops the served record when the promoted canary was not deployed from the portal', () => {
    for (const mode of ['Standard', 'Knative'] as const) {
      const current = serviceWithCanary(mode);
      delete annotationsOfObject(current)[CANARY_MODEL_ANNOTATION];
      const plan = planPromote(current);
      // version 1 no longer serves: its record must not say it does
      expect(served(plan.manifest)).toBeUndefined();
      expect(canary(plan.manifest)).toBeUndefined();
      expect(plan.serving).toBeUndefined();
      expect(plan.retired).toEqual(record('1'));
      expect(specOf(plan.manifest).predictor).toMatchObject({
        model: expect.objectContaining({ storageUri: storageUriOf('2') }),
      });
    }
  });

  it('refuses a service without a canary, in either mode', () => {
    for (const mode of ['Standard', 'Knative'] as const) {
      const promote = () => planPromote(createdService('1', mode));
      expect(promote).toThrow(ConflictError);
      expect(promote).toThrow(
        "InferenceService 'fraud' runs no canary to promote or roll back",
      );
    }
  });

  it('refuses to pick one of several Standard canaries', () => {
    const current = serviceWithCanary('Standard', 20);
    const entries = specOf(current).canary as unknown[];
    entries.push({
      trafficPercent: 10,
      predictor: { name: 'v3', model: sklearnModel('3') },
    });
    expect(() => planPromote(current)).toThrow(
      new ConflictError(
        "InferenceService 'fraud' runs 2 canaries; the portal promotes a service with one",
      ),
    );
  });
});

describe('planRollback', () => {
  it('Standard: removes the canary entry and its record', () => {
    const current = serviceWithCanary('Standard');
    const plan = planRollback(current);
    expect(specOf(plan.manifest)).toEqual({
      predictor: { model: sklearnModel('1') },
    });
    expect(JSON.parse(served(plan.manifest))).toEqual(record('1'));
    expect(canary(plan.manifest)).toBeUndefined();
    expect(plan.serving).toEqual(record('1'));
    expect(plan.retired).toEqual(record('2'));
    expect(resourceVersionOf(plan.manifest)).toBe(resourceVersionOf(current));
  });

  it('Knative: sets canaryTrafficPercent to 0; the canary’s spec and record stay until the next deploy', () => {
    const current = serviceWithCanary('Knative', 25);
    const plan = planRollback(current);
    expect(specOf(plan.manifest)).toEqual({
      predictor: { canaryTrafficPercent: 0, model: sklearnModel('2') },
    });
    expect(JSON.parse(served(plan.manifest))).toEqual(record('1'));
    expect(JSON.parse(canary(plan.manifest))).toEqual(record('2'));
    expect(plan.serving).toEqual(record('1'));
    expect(plan.retired).toEqual(record('2'));
  });

  it('refuses a service without a canary, and a Knative canary already at 0 %', () => {
    for (const mode of ['Standard', 'Knative'] as const) {
      expect(() => planRollback(createdService('1', mode))).toThrow(
        ConflictError,
      );
    }
    const rolledBack = stored(
      planRollback(serviceWithCanary('Knative')).manifest,
    );
    expect(() => planRollback(rolledBack)).toThrow(
      "InferenceService 'fraud' runs no canary to promote or roll back",
    );
    // Nor is a rolled-back Knative canary promoted back.
    expect(() => planPromote(rolledBack)).toThrow(
      "InferenceService 'fraud' runs no canary to promote or roll back",
    );
  });

  it('then refuses a promote of the rolled-back Knative canary (it would serve what was rolled back); a full rollout replaces its spec', () => {
    const rolledBack = stored(
      planRollback(serviceWithCanary('Knative')).manifest,
    );
    const promote = () => planPromote(rolledBack);
    expect(promote).toThrow(ConflictError);
    expect(promote).toThrow(
      "InferenceService 'fraud' runs no canary to promote or roll back",
    );

    const plan = planDeploy(
      planInput('3', { mode: 'Knative', current: rolledBack }),
    );
    expect(plan.action).toBe('replace');
    expect(specOf(plan.manifest).predictor).toEqual({
      model: sklearnModel('3'),
    });
    expect(JSON.parse(served(plan.manifest))).toEqual(record('3'));
    expect(canary(plan.manifest)).toBeUndefined();
  });
});

describe('planStop', () => {
  it('stops a running service and starts it again, in either mode', () => {
    for (const mode of ['Standard', 'Knative'] as const) {
      const running = createdService('1', mode);
      const stop = planStop(running, true);
      expect(annotationsOfObject(stop.manifest)['serving.kserve.io/stop']).toBe(
        'true',
      );
      expect(specOf(stop.manifest)).toEqual(specOf(running));
      expect(stop.serving).toEqual(record('1'));
      expect(resourceVersionOf(stop.manifest)).toBe(resourceVersionOf(running));

      const start = planStop(stored(stop.manifest), false);
      expect(
        annotationsOfObject(start.manifest)['serving.kserve.io/stop'],
      ).toBe('false');
      expect(JSON.parse(served(start.manifest))).toEqual(record('1'));
    }
  });

  it('refuses to stop a stopped service or start a running one', () => {
    const running = createdService('1');
    expect(() => planStop(running, false)).toThrow(
      new ConflictError("InferenceService 'fraud' is already running"),
    );
    const stopped = stored(planStop(running, true).manifest);
    expect(() => planStop(stopped, true)).toThrow(
      new ConflictError("InferenceService 'fraud' is already stopped"),
    );
  });

  it('keeps a canary as it is', () => {
    const current = serviceWithCanary('Standard');
    const plan = planStop(current, true);
    expect(specOf(plan.manifest).canary).toEqual(specOf(current).canary);
    expect(canary(plan.manifest)).toBe(canary(current));
  });
});

describe('a deploy after a promote', () => {
  it('replaces the promoted predictor and keeps its canary name', () => {
    const promoted = stored(
      planPromote(serviceWithCanary('Standard')).manifest,
    );
    const plan = planDeploy(planInput('3', { current: promoted }));
    expect(specOf(plan.manifest).predictor).toEqual({
      name: 'v2',
      model: sklearnModel('3'),
    });
  });
});
