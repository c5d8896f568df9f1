import { ConflictError, InputError } from '@backstage/errors';
import {
  CANARY_MODEL_ANNOTATION,
  DEPLOYED_FOR_ANNOTATION,
  SERVED_MODEL_ANNOTATION,
} from '@mlstack/plugin-mlops-common';
import { objectAt } from '../../kubernetes/objects';
import { canaryNameFor, planDeploy } from './deployPlan';
import {
  ENTITY_REF,
  MLSERVER,
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

const servedRecordOf = (object: unknown) =>
  JSON.parse(annotationsOfObject(object)[SERVED_MODEL_ANNOTATION]);
const canaryRecordOf = (object: unknown) =>
  JSON.parse(annotationsOfObject(object)[CANARY_MODEL_ANNOTATION]);

describe('planDeploy: a new service', () => {
  it('creates the InferenceService with the mode, the entity’s labels and the served model', () => {
    const plan = planDeploy(planInput('1'));
    expect(plan).toEqual({
      action: 'create',
      previous: {},
      notes: [],
      manifest: {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: {
          name: 'fraud',
          namespace: 'ml',
          labels: { 'backstage.io/kubernetes-id': 'fraud-detector' },
          annotations: {
            'serving.kserve.io/deploymentMode': 'Standard',
            [DEPLOYED_FOR_ANNOTATION]: ENTITY_REF,
            [SERVED_MODEL_ANNOTATION]: JSON.stringify(record('1')),
          },
        },
        spec: { predictor: { model: sklearnModel('1') } },
      },
    });
  });

  it('fills in the runtime, service account, replicas and resources asked for', () => {
    const plan = planDeploy(
      planInput('1', {
        mode: 'Knative',
        runtime: MLSERVER,
        serviceAccountName: 'kserve-s3',
        minReplicas: 0,
        maxReplicas: 4,
        resources: { cpuRequest: '250m', memoryRequest: '512Mi' },
      }),
    );
    expect(annotationsOfObject(plan.manifest)).toMatchObject({
      'serving.kserve.io/deploymentMode': 'Knative',
    });
    expect(specOf(plan.manifest)).toEqual({
      predictor: {
        serviceAccountName: 'kserve-s3',
        minReplicas: 0,
        maxReplicas: 4,
        model: {
          modelFormat: { name: 'mlflow' },
          runtime: 'kserve-mlserver',
          protocolVersion: 'v2',
          storageUri: storageUriOf('1'),
          resources: { requests: { cpu: '250m', memory: '512Mi' } },
        },
      },
    });
  });

  it('refuses a canary of a service that does not exist yet', () => {
    const plan = () => planDeploy(planInput('1', { canaryTrafficPercent: 10 }));
    expect(plan).toThrow(InputError);
    expect(plan).toThrow(
      "InferenceService 'fraud' does not exist yet: a new service takes all traffic",
    );
  });
});

describe('planDeploy: a full rollout (replace)', () => {
  it('replaces the predictor, keeps its name, and drops a running canary and its record', () => {
    const current = stored(
      {
        apiVersion: 'serving.kserve.io/v1beta1',
        kind: 'InferenceService',
        metadata: {
          name: 'fraud',
          namespace: 'ml',
          labels: { team: 'fraud' },
          annotations: {
            'serving.kserve.io/deploymentMode': 'Standard',
            'example.com/keep': 'me',
            [SERVED_MODEL_ANNOTATION]: JSON.stringify(record('1')),
            [CANARY_MODEL_ANNOTATION]: JSON.stringify(record('2')),
          },
        },
        spec: {
          predictor: {
            name: 'primary',
            minReplicas: 2,
            model: sklearnModel('1'),
          },
          canary: [
            {
              trafficPercent: 20,
              predictor: { name: 'v2', model: sklearnModel('2') },
            },
          ],
          transformer: { containers: [{ name: 'kserve-container' }] },
        },
      },
      { url: 'http://fraud.ml.example.com' },
    );
    const plan = planDeploy(planInput('3', { current }));
    expect(plan.action).toBe('replace');
    expect(plan.notes).toEqual([]);
    expect(plan.previous).toEqual({ stable: record('1'), canary: record('2') });
    expect(specOf(plan.manifest)).toEqual({
      predictor: { name: 'primary', model: sklearnModel('3') },
      transformer: { containers: [{ name: 'kserve-container' }] },
    });
    const metadata = objectAt(plan.manifest.metadata);
    expect(metadata.resourceVersion).toBe(
      objectAt(current.metadata).resourceVersion,
    );
    expect(metadata.labels).toEqual({
      team: 'fraud',
      'backstage.io/kubernetes-id': 'fraud-detector',
    });
    expect(annotationsOfObject(plan.manifest)).toEqual({
      'serving.kserve.io/deploymentMode': 'Standard',
      'example.com/keep': 'me',
      // written back whole: a later `kubectl apply` still diffs against it
      'kubectl.kubernetes.io/last-applied-configuration': '{}',
      [DEPLOYED_FOR_ANNOTATION]: ENTITY_REF,
      [SERVED_MODEL_ANNOTATION]: JSON.stringify(record('3')),
    });
    expect(plan.manifest).not.toHaveProperty('status');
    expect(metadata).not.toHaveProperty('managedFields');
  });

  it('replaces a Knative canary’s predictor without canaryTrafficPercent', () => {
    const plan = planDeploy(
      planInput('3', {
        mode: 'Knative',
        current: serviceWithCanary('Knative'),
      }),
    );
    expect(plan.action).toBe('replace');
    expect(specOf(plan.manifest).predictor).toEqual({
      model: sklearnModel('3'),
    });
    expect(annotationsOfObject(plan.manifest)).not.toHaveProperty(
      CANARY_MODEL_ANNOTATION,
    );
  });

  it('redeploys the served model (a restart with new settings) without complaint', () => {
    const plan = planDeploy(
      planInput('1', { current: createdService('1'), minReplicas: 3 }),
    );
    expect(plan.action).toBe('replace');
    expect(specOf(plan.manifest).predictor).toMatchObject({ minReplicas: 3 });
  });
});

describe('planDeploy: a canary', () => {
  it('adds a spec.canary entry named v<version> in Standard mode, within the stable one’s replicas', () => {
    const current = createdService('1', 'Standard', {
      minReplicas: 2,
      maxReplicas: 5,
    });
    const plan = planDeploy(
      planInput('2', {
        current,
        canaryTrafficPercent: 20,
        minReplicas: 3,
        maxReplicas: 6,
      }),
    );
    expect(plan.action).toBe('canary');
    expect(plan.previous).toEqual({ stable: record('1') });
    expect(specOf(plan.manifest)).toEqual({
      predictor: { minReplicas: 2, maxReplicas: 5, model: sklearnModel('1') },
      canary: [
        {
          trafficPercent: 20,
          predictor: {
            name: 'v2',
            minReplicas: 2,
            // the v0.20 CRD requires a canary model's container name
            model: { ...sklearnModel('2'), name: 'kserve-container' },
          },
        },
      ],
    });
    expect(servedRecordOf(plan.manifest)).toEqual(record('1'));
    expect(canaryRecordOf(plan.manifest)).toEqual(record('2'));
    expect(plan.notes).toEqual([
      expect.stringContaining('Gateway API HTTPRoute'),
    ]);
  });

  it('gives a Standard canary fewer minReplicas when asked, and the stable one’s (or 1) by default', () => {
    const current = createdService('1', 'Standard', { minReplicas: 3 });
    const fewer = planDeploy(
      planInput('2', { current, canaryTrafficPercent: 10, minReplicas: 1 }),
    );
    expect(specOf(fewer.manifest).canary).toEqual([
      expect.objectContaining({
        predictor: expect.objectContaining({ minReplicas: 1 }),
      }),
    ]);
    const byDefault = planDeploy(
      planInput('2', { current, canaryTrafficPercent: 10 }),
    );
    expect(specOf(byDefault.manifest).canary).toEqual([
      expect.objectContaining({
        predictor: expect.objectContaining({ minReplicas: 3 }),
      }),
    ]);
    const unset = planDeploy(
      planInput('2', {
        current: createdService('1'),
        canaryTrafficPercent: 10,
      }),
    );
    expect(specOf(unset.manifest).canary).toEqual([
      expect.objectContaining({
        predictor: expect.objectContaining({ minReplicas: 1 }),
      }),
    ]);
  });

  it('names a canary after the stable predictor’s name when the version would clash', () => {
    // after a promote the stable predictor is named after the canary it was
    const current = createdService('3');
    objectAt(objectAt(current.spec).predictor).name = 'v2';
    const plan = planDeploy(
      planInput('2', { current, canaryTrafficPercent: 5 }),
    );
    expect(specOf(plan.manifest).canary).toEqual([
      expect.objectContaining({
        predictor: expect.objectContaining({ name: 'v2-canary' }),
      }),
    ]);
  });

  it('sets canaryTrafficPercent on the new predictor in Knative mode, keeping its name', () => {
    const current = createdService('1', 'Knative');
    objectAt(objectAt(current.spec).predictor).name = 'primary';
    const plan = planDeploy(
      planInput('2', {
        mode: 'Knative',
        current,
        canaryTrafficPercent: 10,
        maxReplicas: 3,
      }),
    );
    expect(plan.action).toBe('canary');
    expect(specOf(plan.manifest)).toEqual({
      predictor: {
        name: 'primary',
        maxReplicas: 3,
        canaryTrafficPercent: 10,
        model: sklearnModel('2'),
      },
    });
    expect(servedRecordOf(plan.manifest)).toEqual(record('1'));
    expect(canaryRecordOf(plan.manifest)).toEqual(record('2'));
    expect(plan.notes).toEqual([
      'KServe splits Knative traffic only once a revision has rolled out; until then the new revision takes all traffic.',
    ]);
  });

  it('says nothing about the split once a Knative revision has rolled out', () => {
    const current = stored(
      planDeploy(planInput('1', { mode: 'Knative' })).manifest,
      {
        components: {
          predictor: { latestRolledoutRevision: 'fraud-predictor-00001' },
        },
      },
    );
    const plan = planDeploy(
      planInput('2', { mode: 'Knative', current, canaryTrafficPercent: 10 }),
    );
    expect(plan.notes).toEqual([]);
  });

  it('names a logged model’s canary after its id', () => {
    expect(
      canaryNameFor(
        record('x', {
          version: undefined,
          modelName: undefined,
          modelId: 'm-738B225b3fcf4b759876c6260aac6dd5',
        }),
      ),
    ).toBe('m-738b225b3fcf');
    expect(canaryNameFor(record('7'))).toBe('v7');
    expect(canaryNameFor(record('7'), 'v7')).toBe('v7-canary');
  });

  it('refuses a second canary while one runs, in either mode', () => {
    const standard = () =>
      planDeploy(
        planInput('3', {
          current: serviceWithCanary('Standard'),
          canaryTrafficPercent: 10,
        }),
      );
    expect(standard).toThrow(ConflictError);
    expect(standard).toThrow(
      "InferenceService 'fraud' already runs a canary (version 2); promote it or roll it back first",
    );
    expect(() =>
      planDeploy(
        planInput('3', {
          mode: 'Knative',
          current: serviceWithCanary('Knative'),
          canaryTrafficPercent: 10,
        }),
      ),
    ).toThrow(ConflictError);
  });

  it('starts a Knative canary again after a roll back (canaryTrafficPercent 0)', () => {
    const rolledBack = serviceWithCanary('Knative');
    objectAt(objectAt(rolledBack.spec).predictor).canaryTrafficPercent = 0;
    const plan = planDeploy(
      planInput('3', {
        mode: 'Knative',
        current: rolledBack,
        canaryTrafficPercent: 30,
      }),
    );
    expect(specOf(plan.manifest).predictor).toMatchObject({
      canaryTrafficPercent: 30,
      model: sklearnModel('3'),
    });
    expect(canaryRecordOf(plan.manifest)).toEqual(record('3'));
  });

  it('refuses a canary of the artifacts a service without the portal’s record already serves', () => {
    const current = createdService('1');
    delete objectAt(objectAt(current.metadata).annotations)[
      SERVED_MODEL_ANNOTATION
    ];
    const plan = () =>
      planDeploy(planInput('1', { current, canaryTrafficPercent: 10 }));
    expect(plan).toThrow(
      "InferenceService 'fraud' already serves that model to all of its traffic",
    );
  });

  it('refuses a canary of the model the service already serves', () => {
    const plan = () =>
      planDeploy(
        planInput('1', {
          current: createdService('1'),
          canaryTrafficPercent: 10,
        }),
      );
    expect(plan).toThrow(InputError);
    expect(plan).toThrow(
      "InferenceService 'fraud' already serves that model to all of its traffic",
    );
  });
});

describe('planDeploy: the deployment mode', () => {
  it('refuses to change a service’s mode', () => {
    const plan = () =>
      planDeploy(
        planInput('2', {
          mode: 'Standard',
          current: createdService('1', 'Knative'),
        }),
      );
    expect(plan).toThrow(ConflictError);
    expect(plan).toThrow(
      "InferenceService 'fraud' runs in Knative mode and KServe does not change a service's mode; deploy it in Knative mode or under another name",
    );
  });

  it('takes the mode the controller recorded over the annotation', () => {
    const current = stored(planDeploy(planInput('1')).manifest, {
      deploymentMode: 'Serverless',
    });
    expect(() => planDeploy(planInput('2', { current }))).toThrow(
      /runs in Knative mode/,
    );
  });

  it('reads a service without a mode annotation as being in the requested mode', () => {
    const current = createdService('1');
    delete annotationsOfObject(current)['serving.kserve.io/deploymentMode'];
    expect(
      planDeploy(planInput('2', { mode: 'Knative', current })).action,
    ).toBe('replace');
  });
});
