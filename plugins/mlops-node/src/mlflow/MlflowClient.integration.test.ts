import {
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  requireHarnessService,
  seedMlflow,
  type MlflowSeedSummary as SeedSummary,
} from '@internal/harness';
import type { MlflowRun } from '@mlstack/plugin-mlops-common';
import net from 'node:net';
import { MlflowClient } from './MlflowClient';

/** A loopback port nobody listens on. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise(resolve => server.close(resolve));
  return port;
}

/** A loopback server that accepts connections and never answers. */
async function silentServer(): Promise<{
  port: number;
  close: () => Promise<void>;
}> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer(socket => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      sockets.forEach(socket => socket.destroy());
      await new Promise(resolve => server.close(resolve));
    },
  };
}

describe('MlflowClient against the harness MLflow', () => {
  const { url } = requireHarnessService('mlflow');
  const client = new MlflowClient({ name: 'harness', baseUrl: url });
  const prefix = `it-${Date.now()}-`;
  let seed: SeedSummary;
  let fraudExperimentId: string;

  beforeAll(async () => {
    seed = await seedMlflow(url, prefix);
    fraudExperimentId = seed.experiments.fraudDetector.id;
  }, 300_000);

  async function allRuns(experimentIds: string[], maxResults: number) {
    const pages: MlflowRun[][] = [];
    let pageToken: string | undefined;
    do {
      const page = await client.searchRuns({
        experimentIds,
        maxResults,
        pageToken,
      });
      pages.push(page.runs);
      pageToken = page.nextPageToken;
    } while (pageToken && pages.length < 50);
    return pages;
  }

  it('finds both experiments by name, and nothing for an unknown name', async () => {
    for (const { id, name } of Object.values(seed.experiments)) {
      await expect(client.getExperimentByName(name)).resolves.toMatchObject({
        experimentId: id,
        name,
        lifecycleStage: 'active',
        uiUrl: `${url}/#/experiments/${id}`,
      });
    }
    await expect(
      client.getExperimentByName(`${prefix}no-such-experiment`),
    ).resolves.toBe(undefined);
    await expect(
      client.getExperiment(fraudExperimentId),
    ).resolves.toMatchObject({
      name: `${prefix}fraud-detector`,
    });
  });

  it('filters runs by a param', async () => {
    const page = await client.searchRuns({
      experimentIds: [fraudExperimentId, seed.experiments.tuning.id],
      filter: "params.learning_rate = '0.1'",
    });
    const child = seed.runs.children.find(
      c => c.params.learning_rate === '0.1',
    )!;
    expect(page.runs.map(r => r.runId)).toEqual([child.runId]);
    expect(page.runs[0]).toMatchObject({
      runName: 'lr-0.1',
      experimentId: fraudExperimentId,
      status: 'FINISHED',
      user: seed.user,
      sourceCommit: child.gitCommit,
      parentRunId: seed.runs.parent,
      params: child.params,
      metrics: child.finalMetrics,
      uiUrl: `${url}/#/experiments/${fraudExperimentId}/runs/${child.runId}`,
    });
    expect(page.runs[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(page.metricKeys).toEqual(['accuracy', 'loss']);
    expect(page.paramKeys).toEqual([
      'learning_rate',
      'max_depth',
      'n_estimators',
    ]);
    expect(page.nextPageToken).toBeUndefined();
  });

  it('orders runs by a metric', async () => {
    const page = await client.searchRuns({
      experimentIds: [fraudExperimentId],
      filter: `tags.mlflow.parentRunId = '${seed.runs.parent}'`,
      orderBy: ['metrics.accuracy DESC'],
    });
    const byAccuracy = [...seed.runs.children].sort(
      (a, b) => b.finalMetrics.accuracy - a.finalMetrics.accuracy,
    );
    expect(page.runs.map(r => r.runId)).toEqual(byAccuracy.map(c => c.runId));
    expect(page.runs[0].runId).toBe(seed.runs.bestChild);
  });

  it('walks all runs two at a time with page tokens', async () => {
    const pages = await allRuns([fraudExperimentId], 2);
    const expected = [
      seed.runs.parent,
      ...seed.runs.children.map(c => c.runId),
      seed.runs.failed,
      seed.runs.running,
    ];
    expect(pages.map(p => p.length)).toEqual([2, 2, 2]);
    expect(
      pages
        .flat()
        .map(r => r.runId)
        .sort(),
    ).toEqual([...expected].sort());
  });

  it('links child runs to their parent and reports failed and running runs', async () => {
    const runs = (await allRuns([fraudExperimentId], 100)).flat();
    const byId = new Map(runs.map(r => [r.runId, r]));
    expect(
      runs
        .filter(r => r.parentRunId === seed.runs.parent)
        .map(r => r.runId)
        .sort(),
    ).toEqual(seed.runs.children.map(c => c.runId).sort());
    expect(byId.get(seed.runs.parent)).toMatchObject({
      runName: 'training-sweep',
      parentRunId: undefined,
      metrics: {
        best_accuracy: Math.max(
          ...seed.runs.children.map(c => c.finalMetrics.accuracy),
        ),
      },
    });
    expect(byId.get(seed.runs.failed)).toMatchObject({
      runName: 'oom-crash',
      status: 'FAILED',
    });
    const running = byId.get(seed.runs.running)!;
    expect(running).toMatchObject({
      runName: 'live-training',
      status: 'RUNNING',
      endTime: undefined,
    });
    expect(running.durationMs).toBeGreaterThan(0);
  });

  it('reads a run in detail', async () => {
    const child = seed.runs.children[0];
    const run = await client.getRun(child.runId);
    expect(run).toMatchObject({ runId: child.runId, runName: child.runName });
    expect(run.latestMetrics).toEqual([
      expect.objectContaining({
        key: 'accuracy',
        value: child.finalMetrics.accuracy,
        step: 19,
      }),
      expect.objectContaining({
        key: 'loss',
        value: child.finalMetrics.loss,
        step: 19,
      }),
    ]);
    expect(run.datasets).toEqual([
      expect.objectContaining({ name: 'fraud-train', context: 'training' }),
    ]);
    await expect(
      client.getRun('0123456789abcdef0123456789abcdef'),
    ).rejects.toThrow(NotFoundError);
  });

  it('returns the whole metric history, in step order, and stops at maxResults', async () => {
    const child = seed.runs.children[1];
    const history = await client.getMetricHistory({
      runId: child.runId,
      metricKey: 'loss',
    });
    expect(history.points).toHaveLength(seed.metricSteps);
    expect(history.points.map(p => p.step)).toEqual(
      Array.from({ length: seed.metricSteps }, (_, i) => i),
    );
    expect(history.points.map(p => p.value)).toEqual(child.history.loss);

    const firstFive = await client.getMetricHistory({
      runId: child.runId,
      metricKey: 'accuracy',
      maxResults: 5,
    });
    expect(firstFive.points).toHaveLength(5);
  });

  it('lists artifacts by directory', async () => {
    const child = seed.runs.children[0];
    const root = await client.listArtifacts({ runId: child.runId });
    expect(root.files).toEqual(
      expect.arrayContaining([
        { path: 'notes.txt', isDir: false, fileSize: expect.any(Number) },
        { path: 'reports', isDir: true, fileSize: undefined },
      ]),
    );
    expect(root.rootUri).toContain(child.runId);
    const reports = await client.listArtifacts({
      runId: child.runId,
      path: 'reports',
    });
    expect(reports.files.map(f => f.path)).toEqual(['reports/summary.json']);
  });

  it('returns the registered model with its versions and aliases', async () => {
    const { name, versions, aliases } = seed.registeredModel;
    const model = await client.getRegisteredModel(name);
    expect(model).toMatchObject({
      name,
      aliases,
      description: 'Flags card transactions that look fraudulent.',
      tags: { owner: 'team-fraud' },
      uiUrl: `${url}/#/models/${encodeURIComponent(name)}`,
    });
    const newestFirst = [...versions].sort(
      (a, b) => Number(b.version) - Number(a.version),
    );
    expect(
      model!.versions.map(v => ({
        version: v.version,
        runId: v.runId,
        modelId: v.modelId,
      })),
    ).toEqual(newestFirst);
    for (const version of model!.versions) {
      expect(version.aliases).toEqual(
        Object.keys(aliases)
          .filter(alias => aliases[alias] === version.version)
          .sort(),
      );
      expect(version).toMatchObject({
        status: 'READY',
        runUiUrl: `${url}/#/runs/${version.runId}`,
      });
    }
    await expect(
      client.getRegisteredModel(`${prefix}no-such-model`),
    ).resolves.toBe(undefined);
  });

  it('reads a registered model without its versions (no version search)', async () => {
    const { name, aliases } = seed.registeredModel;
    const summary = await client.getRegisteredModelSummary(name);
    expect(summary).toMatchObject({
      name,
      aliases,
      description: 'Flags card transactions that look fraudulent.',
      tags: { owner: 'team-fraud' },
    });
    expect(summary).not.toHaveProperty('versions');
    await expect(
      client.getRegisteredModelSummary(`${prefix}no-such-model`),
    ).resolves.toBe(undefined);
  });

  it('resolves aliases and download URIs', async () => {
    const { name, aliases } = seed.registeredModel;
    await expect(
      client.getModelVersionByAlias(name, 'champion'),
    ).resolves.toMatchObject({
      version: aliases.champion,
      aliases: ['champion'],
    });
    await expect(
      client.getModelVersionByAlias(name, 'no-such-alias'),
    ).rejects.toThrow(NotFoundError);
    const champion = seed.registeredModel.versions.find(
      v => v.version === aliases.champion,
    )!;
    await expect(
      client.getModelVersionDownloadUri(name, aliases.champion),
    ).resolves.toMatch(new RegExp(`/models/${champion.modelId}/artifacts$`));
  });

  it('searches logged models, page by page', async () => {
    const all = await client.searchLoggedModels({
      experimentIds: [fraudExperimentId],
    });
    expect(all.models.map(m => m.modelId).sort()).toEqual(
      seed.loggedModels.map(m => m.modelId).sort(),
    );
    const best = seed.runs.children.find(c => c.runId === seed.runs.bestChild)!;
    expect(
      all.models.find(m => m.modelId === best.loggedModelId),
    ).toMatchObject({
      name: 'model',
      experimentId: fraudExperimentId,
      sourceRunId: best.runId,
      status: 'LOGGED_MODEL_READY',
      params: expect.objectContaining({ learning_rate: '0.1' }),
      metrics: expect.arrayContaining([
        expect.objectContaining({
          key: 'accuracy',
          value: best.finalMetrics.accuracy,
        }),
      ]),
      uiUrl: `${url}/#/experiments/${fraudExperimentId}/models/${best.loggedModelId}`,
    });

    const first = await client.searchLoggedModels({
      experimentIds: [fraudExperimentId],
      maxResults: 2,
    });
    expect(first.models).toHaveLength(2);
    const second = await client.searchLoggedModels({
      experimentIds: [fraudExperimentId],
      maxResults: 2,
      pageToken: first.nextPageToken,
    });
    expect(second.models).toHaveLength(1);
    expect(second.nextPageToken).toBeUndefined();
  });

  it('turns a malformed filter into an InputError carrying MLflow’s message', async () => {
    const filter = 'params.learning_rate = = 1';
    const raw = await fetch(`${url}/api/2.0/mlflow/runs/search`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ experiment_ids: [fraudExperimentId], filter }),
    });
    const mlflowAnswer = (await raw.json()) as {
      error_code: string;
      message: string;
    };
    expect(mlflowAnswer.error_code).toBe('INVALID_PARAMETER_VALUE');

    const error = await client
      .searchRuns({ experimentIds: [fraudExperimentId], filter })
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(error.message).toBe(
      `MLflow instance 'harness': ${mlflowAnswer.message}`,
    );
  });

  it('reports an instance that does not listen as unavailable', async () => {
    const port = await closedPort();
    const down = new MlflowClient({
      name: 'down',
      baseUrl: `http://127.0.0.1:${port}`,
      retryDelaysMs: [1, 1],
    });
    const error = await down.getExperimentByName('x').catch(e => e);
    expect(error).toBeInstanceOf(ServiceUnavailableError);
    expect(error.message).toBe(
      "MLflow instance 'down' could not be reached: ECONNREFUSED (GET /api/2.0/mlflow/experiments/get-by-name, 3 attempts)",
    );
  });

  it('times out on a server that never answers', async () => {
    const silent = await silentServer();
    try {
      const stuck = new MlflowClient({
        name: 'stuck',
        baseUrl: `http://127.0.0.1:${silent.port}`,
        timeoutMs: 200,
        retryDelaysMs: [1, 1],
      });
      const error = await stuck.getExperiment('1').catch(e => e);
      expect(error).toBeInstanceOf(ServiceUnavailableError);
      expect(error.message).toBe(
        "MLflow instance 'stuck' did not answer within 200 ms (GET /api/2.0/mlflow/experiments/get, 3 attempts)",
      );
      expect(error.statusCode).toBe(504);
    } finally {
      await silent.close();
    }
  });
});
