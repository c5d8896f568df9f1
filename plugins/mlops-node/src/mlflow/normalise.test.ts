import {
  datasetSourceLocation,
  normaliseArtifactPage,
  normaliseExperiment,
  normaliseLoggedModel,
  normaliseMetric,
  normaliseModelVersion,
  normaliseRegisteredModel,
  normaliseRun,
  normaliseRunDetail,
  runDurationMs,
  toNumber,
  unionOfKeys,
} from './normalise';
import { MlflowUiLinks } from './uiLinks';
import {
  restExperiment,
  restLoggedModel,
  restModelVersion,
  restRegisteredModel,
  restRun,
} from './__testUtils__/restFixtures';

const links = new MlflowUiLinks('https://mlflow.example.com');
const NOW = 1795696790000;

describe('toNumber', () => {
  it('reads numbers MLflow sends as numbers or strings', () => {
    expect(toNumber(12)).toBe(12);
    expect(toNumber('1795696781156')).toBe(1795696781156);
    expect(toNumber('0.25')).toBe(0.25);
  });

  it('keeps the non-finite values MLflow sends as strings', () => {
    expect(toNumber('NaN')).toBeNaN();
    expect(toNumber('Infinity')).toBe(Infinity);
    expect(toNumber('-Infinity')).toBe(-Infinity);
  });

  it('gives undefined for absent or unreadable values', () => {
    expect(toNumber(undefined)).toBeUndefined();
    expect(toNumber('')).toBeUndefined();
    expect(toNumber('twelve')).toBeUndefined();
  });
});

describe('normaliseExperiment', () => {
  it('maps fields, tags and the UI link', () => {
    expect(
      normaliseExperiment(
        restExperiment({
          creation_time: '1795696777992',
          tags: [{ key: 'team', value: 'fraud' }],
        }),
        links,
      ),
    ).toEqual({
      experimentId: '3',
      name: 'fraud-detector',
      lifecycleStage: 'active',
      artifactLocation: 'mlflow-artifacts:/3',
      creationTime: 1795696777992,
      lastUpdateTime: 1795696777992,
      tags: { team: 'fraud' },
      uiUrl: 'https://mlflow.example.com/#/experiments/3',
    });
  });
});

describe('normaliseRun', () => {
  it('maps info, data and the well-known mlflow.* tags', () => {
    const run = normaliseRun(
      restRun('r1', {
        startTime: '1795696781156',
        endTime: 1795696781877,
        metrics: { loss: 0.047619, accuracy: '0.928571', broken: 'NaN' },
        params: { learning_rate: '0.1', n_estimators: '100' },
      }),
      links,
      NOW,
    );
    expect(run).toEqual({
      runId: 'r1',
      runName: 'run-r1',
      experimentId: '3',
      status: 'FINISHED',
      startTime: 1795696781156,
      endTime: 1795696781877,
      durationMs: 721,
      user: 'alice@example.com',
      sourceCommit: '2222222222222222222222222222222222222222',
      sourceName: 'train.py',
      parentRunId: 'parent-run',
      artifactUri: 'mlflow-artifacts:/3/r1/artifacts',
      lifecycleStage: 'active',
      metrics: { loss: 0.047619, accuracy: 0.928571, broken: NaN },
      params: { learning_rate: '0.1', n_estimators: '100' },
      tags: expect.objectContaining({ 'mlflow.runName': 'run-r1' }),
      uiUrl: 'https://mlflow.example.com/#/experiments/3/runs/r1',
    });
  });

  it('falls back to tags for the user and run name, and to run_uuid for the id', () => {
    const raw = restRun('r2', {
      userId: '',
      runName: '',
      tags: { 'mlflow.user': 'bob', 'mlflow.runName': 'from-tag' },
    });
    delete raw.info.run_id;
    const run = normaliseRun(raw, links, NOW);
    expect(run).toMatchObject({
      runId: 'r2',
      user: 'bob',
      runName: 'from-tag',
    });
    expect(run.parentRunId).toBeUndefined();
    expect(run.sourceCommit).toBeUndefined();
  });

  it('measures a running run until now', () => {
    const raw = restRun('r3', { status: 'RUNNING', startTime: NOW - 5000 });
    delete raw.info.end_time;
    expect(normaliseRun(raw, links, NOW)).toMatchObject({
      status: 'RUNNING',
      endTime: undefined,
      durationMs: 5000,
    });
  });
});

describe('runDurationMs', () => {
  it('has no duration for an unfinished run that is not running, or without a start', () => {
    expect(runDurationMs('KILLED', 1000, undefined, NOW)).toBeUndefined();
    expect(runDurationMs('RUNNING', undefined, undefined, NOW)).toBeUndefined();
    expect(runDurationMs('FAILED', 1000, 4000, NOW)).toBe(3000);
  });
});

describe('normaliseRunDetail', () => {
  it('adds the latest metrics in full and the dataset inputs', () => {
    const raw = restRun('r1', { metrics: { loss: 0.5, accuracy: 0.9 } });
    raw.inputs = {
      dataset_inputs: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'fraud-train',
            digest: '1d9ec91a',
            source_type: 'code',
          },
        },
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: {
            name: 'dvc-data',
            digest: 'a1b2c3',
            source_type: 's3',
            source: '{"uri": "s3://dvc/fraud/files/md5/ab/cdef.dir"}',
          },
        },
      ],
    };
    const detail = normaliseRunDetail(raw, links, NOW);
    expect(detail.latestMetrics).toEqual([
      { key: 'accuracy', value: 0.9, timestamp: 1795696800212, step: 19 },
      { key: 'loss', value: 0.5, timestamp: 1795696800212, step: 19 },
    ]);
    expect(detail.datasets).toEqual([
      {
        name: 'fraud-train',
        digest: '1d9ec91a',
        sourceType: 'code',
        context: 'training',
      },
      {
        name: 'dvc-data',
        digest: 'a1b2c3',
        sourceType: 's3',
        source: 's3://dvc/fraud/files/md5/ab/cdef.dir',
        context: 'training',
      },
    ]);
    expect(detail.runId).toBe('r1');
  });
});

describe('datasetSourceLocation', () => {
  it.each([
    [
      '{"uri": "s3://dvc/p/files/md5/ab/c.dir"}',
      's3://dvc/p/files/md5/ab/c.dir',
    ],
    ['{"url": "https://example.com/d.csv"}', 'https://example.com/d.csv'],
    ['{"path": "org/dataset", "split": "train"}', 'org/dataset'],
    ['{"delta_table_name": "cat.db.t"}', 'cat.db.t'],
    ['/data/plain.csv', '/data/plain.csv'],
  ])('reads the location of %s', (source, location) => {
    expect(datasetSourceLocation(source)).toBe(location);
  });

  it.each([undefined, '', '{}', '{"tags": {"a": "b"}}', 'null'])(
    'has no location for %p',
    source => {
      expect(datasetSourceLocation(source)).toBeUndefined();
    },
  );
});

describe('normaliseMetric', () => {
  it('reads string numbers and defaults step and timestamp to 0', () => {
    expect(
      normaliseMetric({
        key: 'loss',
        value: '0.25',
        step: '3',
        timestamp: '10',
      }),
    ).toEqual({
      key: 'loss',
      value: 0.25,
      step: 3,
      timestamp: 10,
    });
    expect(normaliseMetric({ key: 'loss', value: 1 })).toEqual({
      key: 'loss',
      value: 1,
      step: 0,
      timestamp: 0,
    });
  });
});

describe('unionOfKeys', () => {
  it('collects sorted unique keys across runs', () => {
    const runs = [
      normaliseRun(
        restRun('a', { metrics: { loss: 1 }, params: { b: '1' } }),
        links,
        NOW,
      ),
      normaliseRun(
        restRun('b', { metrics: { accuracy: 1, loss: 2 }, params: { a: '1' } }),
        links,
        NOW,
      ),
    ];
    expect(unionOfKeys(runs, 'metrics')).toEqual(['accuracy', 'loss']);
    expect(unionOfKeys(runs, 'params')).toEqual(['a', 'b']);
  });
});

describe('normaliseArtifactPage', () => {
  it('maps files and treats an empty token as the last page', () => {
    expect(
      normaliseArtifactPage({
        root_uri: 'mlflow-artifacts:/3/r1/artifacts',
        files: [
          { path: 'notes.txt', is_dir: false, file_size: '18' },
          { path: 'reports', is_dir: true },
        ],
        next_page_token: '',
      }),
    ).toEqual({
      rootUri: 'mlflow-artifacts:/3/r1/artifacts',
      files: [
        { path: 'notes.txt', isDir: false, fileSize: 18 },
        { path: 'reports', isDir: true, fileSize: undefined },
      ],
      nextPageToken: undefined,
    });
  });
});

describe('normaliseModelVersion', () => {
  it('maps a version and links it and its run', () => {
    expect(
      normaliseModelVersion(
        restModelVersion('2', { aliases: ['champion'], model_id: 'm-2' }),
        links,
        ['stable'],
      ),
    ).toEqual({
      name: 'fraud-detector',
      version: '2',
      status: 'READY',
      statusMessage: undefined,
      creationTime: 1795696781723,
      lastUpdatedTime: 1795696781723,
      description: undefined,
      source: 'models:/m-2',
      runId: 'run-2',
      modelId: 'm-2',
      aliases: ['champion', 'stable'],
      tags: { stage: 'candidate' },
      uiUrl: 'https://mlflow.example.com/#/models/fraud-detector/versions/2',
      runUiUrl: 'https://mlflow.example.com/#/runs/run-2',
    });
  });

  it('reads the logged model id from a models:/ source when model_id is absent', () => {
    expect(
      normaliseModelVersion(
        restModelVersion('1', {
          source: 'models:/m-3c39a2585f0b456db73db67383e06851',
        }),
        links,
      ).modelId,
    ).toBe('m-3c39a2585f0b456db73db67383e06851');
    expect(
      normaliseModelVersion(
        restModelVersion('1', { source: 's3://bucket/1/abc/artifacts/model' }),
        links,
      ).modelId,
    ).toBeUndefined();
  });

  it('has no run link when the version has no run', () => {
    const version = normaliseModelVersion(
      restModelVersion('1', { run_id: '' }),
      links,
    );
    expect(version.runId).toBeUndefined();
    expect(version.runUiUrl).toBeUndefined();
  });
});

describe('normaliseRegisteredModel', () => {
  it('orders versions newest first and gives each the aliases pointing at it', () => {
    const model = normaliseRegisteredModel(
      restRegisteredModel(),
      ['2', '10', '1', '3'].map(v => restModelVersion(v)),
      links,
    );
    expect(model.aliases).toEqual({ champion: '2', challenger: '3' });
    expect(model.versions.map(v => [v.version, v.aliases])).toEqual([
      ['10', []],
      ['3', ['challenger']],
      ['2', ['champion']],
      ['1', []],
    ]);
    expect(model).toMatchObject({
      name: 'fraud-detector',
      description: 'Flags card transactions that look fraudulent.',
      tags: { owner: 'team-fraud' },
      uiUrl: 'https://mlflow.example.com/#/models/fraud-detector',
    });
  });
});

describe('normaliseLoggedModel', () => {
  it('maps info and data and links the model page', () => {
    expect(normaliseLoggedModel(restLoggedModel('m-abc'), links)).toEqual({
      modelId: 'm-abc',
      name: 'model',
      experimentId: '3',
      sourceRunId: 'run-3',
      status: 'LOGGED_MODEL_READY',
      creationTime: 1795696782197,
      lastUpdatedTime: 1795696782446,
      modelType: undefined,
      artifactUri: 'mlflow-artifacts:/3/models/m-abc/artifacts',
      metrics: [
        {
          key: 'accuracy',
          value: 0.862623,
          timestamp: 1795696782610,
          step: 19,
        },
      ],
      params: { learning_rate: '0.3' },
      tags: { stage: 'candidate' },
      uiUrl: 'https://mlflow.example.com/#/experiments/3/models/m-abc',
    });
  });
});
