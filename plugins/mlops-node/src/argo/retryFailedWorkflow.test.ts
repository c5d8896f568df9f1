import { InputError } from '@backstage/errors';
import { loadUpstreamFixtures } from '@internal/harness';
import zlib from 'node:zlib';
import { fnv32a } from './podName';
import { retryFailedWorkflow } from './retryFailedWorkflow';

const now = new Date('2025-03-01T12:00:00.123Z');
const NOW = '2025-03-01T12:00:00Z';

const [dagDiamond] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
);
const [stepsRunning] = loadUpstreamFixtures(
  'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
);

/** steps-failed-retries once it has finished: every retry failed, so the workflow failed. */
function stepsFailed() {
  const workflow = structuredClone(stepsRunning);
  const nodes = workflow.status.nodes;
  for (const id of [
    'failed-retries-tjjsc',
    'failed-retries-tjjsc-2095973878',
    'failed-retries-tjjsc-1574533273',
  ]) {
    nodes[id].phase = 'Failed';
    nodes[id].finishedAt = '2019-01-03T01:23:40Z';
  }
  nodes['failed-retries-tjjsc-1574533273'].message = 'No more retries left';
  workflow.metadata.labels = {
    'workflows.argoproj.io/phase': 'Failed',
    'workflows.argoproj.io/completed': 'true',
  };
  workflow.status.phase = 'Failed';
  workflow.status.message = 'child failed';
  workflow.status.finishedAt = '2019-01-03T01:23:40Z';
  workflow.status.conditions = [
    { type: 'PodRunning', status: 'False' },
    { type: 'Completed', status: 'True' },
  ];
  return workflow;
}

/** dag-diamond where C failed, so D never ran. */
function diamondWithFailedC() {
  const workflow = structuredClone(dagDiamond);
  const nodes = workflow.status.nodes;
  const c = 'dag-diamond-82q7s-1276987215';
  delete nodes['dag-diamond-82q7s-1226654358']; // D
  delete nodes['dag-diamond-82q7s-1260209596'].children; // B led to D
  nodes[c].phase = 'Failed';
  nodes[c].message = 'Error (exit code 1)';
  delete nodes[c].children;
  nodes['dag-diamond-82q7s'].phase = 'Failed';
  nodes['dag-diamond-82q7s'].outboundNodes = [c];
  workflow.status.phase = 'Failed';
  workflow.status.progress = '2/3';
  workflow.metadata.labels['workflows.argoproj.io/phase'] = 'Failed';
  return workflow;
}

describe('retryFailedWorkflow', () => {
  it('reruns the failed steps of a Steps workflow with Retry nodes', () => {
    const original = stepsFailed();
    const { workflow, podsToDelete } = retryFailedWorkflow(original, { now });
    const { nodes, ...status } = workflow.status as Record<string, any>;

    // the four failed attempts go; their Retry nodes, the step group and the root run again
    expect(Object.keys(nodes).sort()).toEqual([
      'failed-retries-tjjsc',
      'failed-retries-tjjsc-1574533273',
      'failed-retries-tjjsc-20069324',
      'failed-retries-tjjsc-2095973878',
    ]);
    expect(nodes['failed-retries-tjjsc-20069324']).toEqual({
      boundaryID: 'failed-retries-tjjsc',
      displayName: 'fail',
      finishedAt: null,
      id: 'failed-retries-tjjsc-20069324',
      name: 'failed-retries-tjjsc[0].fail',
      phase: 'Running',
      startedAt: NOW,
      type: 'Retry',
    });
    expect(nodes['failed-retries-tjjsc-2095973878']).toMatchObject({
      phase: 'Running',
      children: [
        'failed-retries-tjjsc-20069324',
        'failed-retries-tjjsc-1574533273',
      ],
    });
    expect(nodes['failed-retries-tjjsc']).toMatchObject({
      phase: 'Running',
      children: ['failed-retries-tjjsc-2095973878'],
      startedAt: NOW,
      finishedAt: null,
    });
    expect(status).toEqual({
      conditions: [
        { type: 'PodRunning', status: 'False' },
        { type: 'Completed', status: 'False' },
      ],
      startedAt: NOW,
      finishedAt: null,
    });
    expect(workflow.metadata).toEqual({
      ...original.metadata,
      labels: { 'workflows.argoproj.io/phase': 'Failed' },
    });
    expect(podsToDelete).toEqual([
      'failed-retries-tjjsc-fail-1229492679',
      'failed-retries-tjjsc-fail-759866442',
      'failed-retries-tjjsc-delayed-fail-1375221696',
      'failed-retries-tjjsc-delayed-fail-2113289837',
    ]);
  });

  it('keeps the succeeded DAG tasks and reruns the failed one', () => {
    const { workflow, podsToDelete } = retryFailedWorkflow(
      diamondWithFailedC(),
      { now },
    );
    const nodes = (workflow.status as Record<string, any>).nodes;
    expect(Object.keys(nodes).sort()).toEqual([
      'dag-diamond-82q7s',
      'dag-diamond-82q7s-1260209596',
      'dag-diamond-82q7s-1310542453',
    ]);
    expect(nodes['dag-diamond-82q7s']).toMatchObject({
      phase: 'Running',
      children: ['dag-diamond-82q7s-1310542453'],
    });
    expect(nodes['dag-diamond-82q7s']).not.toHaveProperty('outboundNodes');
    // A keeps only B (C is deleted), untouched otherwise
    expect(nodes['dag-diamond-82q7s-1310542453']).toEqual({
      ...dagDiamond.status.nodes['dag-diamond-82q7s-1310542453'],
      children: ['dag-diamond-82q7s-1260209596'],
    });
    expect(nodes['dag-diamond-82q7s-1260209596'].phase).toBe('Succeeded');
    expect(podsToDelete).toEqual([
      `dag-diamond-82q7s-echo-${fnv32a('dag-diamond-82q7s.C')}`,
    ]);
    expect(podsToDelete).toEqual(['dag-diamond-82q7s-echo-1276987215']);
    expect(workflow.metadata).not.toHaveProperty(
      'labels.workflows\\.argoproj\\.io/completed',
    );
    expect((workflow.metadata as any).labels).toEqual({
      'workflows.argoproj.io/phase': 'Failed',
    });
    expect(workflow.spec).toEqual(dagDiamond.spec);
    expect((workflow.status as any).artifactRepositoryRef).toEqual(
      dagDiamond.status.artifactRepositoryRef,
    );
  });

  it('does not rerun an attempt a later attempt made good', () => {
    const workflow = {
      metadata: { name: 'wf', namespace: 'ml' },
      status: {
        phase: 'Failed',
        nodes: {
          wf: {
            id: 'wf',
            name: 'wf',
            type: 'Steps',
            phase: 'Failed',
            children: ['wf-g'],
          },
          'wf-g': {
            id: 'wf-g',
            name: 'wf[0]',
            type: 'StepGroup',
            phase: 'Failed',
            boundaryID: 'wf',
            children: ['wf-r', 'wf-x'],
          },
          'wf-r': {
            id: 'wf-r',
            name: 'wf[0].flaky',
            type: 'Retry',
            phase: 'Succeeded',
            boundaryID: 'wf',
            children: ['wf-r0', 'wf-r1'],
          },
          'wf-r0': {
            id: 'wf-r0',
            name: 'wf[0].flaky(0)',
            type: 'Pod',
            phase: 'Failed',
            templateName: 'flaky',
            boundaryID: 'wf',
            nodeFlag: { retried: true },
          },
          'wf-r1': {
            id: 'wf-r1',
            name: 'wf[0].flaky(1)',
            type: 'Pod',
            phase: 'Succeeded',
            templateName: 'flaky',
            boundaryID: 'wf',
            nodeFlag: { retried: true },
          },
          'wf-x': {
            id: 'wf-x',
            name: 'wf[0].broken',
            type: 'Pod',
            phase: 'Error',
            templateName: 'broken',
            boundaryID: 'wf',
          },
        },
      },
    };
    const { workflow: retried, podsToDelete } = retryFailedWorkflow(workflow, {
      now,
    });
    const nodes = (retried.status as any).nodes;
    expect(Object.keys(nodes).sort()).toEqual([
      'wf',
      'wf-g',
      'wf-r',
      'wf-r0',
      'wf-r1',
    ]);
    expect(nodes['wf-r0'].phase).toBe('Failed');
    expect(nodes['wf-g']).toMatchObject({
      phase: 'Running',
      children: ['wf-r'],
    });
    expect(podsToDelete).toEqual([`wf-broken-${fnv32a('wf[0].broken')}`]);
  });

  it('restarts the whole pod of a failed container, and reruns the exit handler', () => {
    const workflow = {
      metadata: {
        name: 'cs',
        annotations: { 'workflows.argoproj.io/pod-name-format': 'v1' },
        labels: {
          'workflows.argoproj.io/workflow-archiving-status': 'Pending',
        },
      },
      spec: {
        shutdown: 'Terminate',
        activeDeadlineSeconds: 0,
        entrypoint: 'main',
      },
      status: {
        phase: 'Error',
        message: 'terminated',
        persistentVolumeClaims: [{ name: 'work' }],
        storedWorkflowTemplateSpec: {
          entrypoint: 'main',
          shutdown: 'Terminate',
        },
        nodes: {
          cs: {
            id: 'cs',
            name: 'cs',
            type: 'Pod',
            phase: 'Failed',
            templateName: 'main',
            children: ['cs-a', 'cs-b'],
          },
          'cs-a': {
            id: 'cs-a',
            name: 'cs.setup',
            type: 'Container',
            phase: 'Succeeded',
            boundaryID: 'cs',
          },
          'cs-b': {
            id: 'cs-b',
            name: 'cs.train',
            type: 'Container',
            phase: 'Failed',
            boundaryID: 'cs',
          },
          'cs-e': {
            id: 'cs-e',
            name: 'cs.onExit',
            type: 'Pod',
            phase: 'Succeeded',
            templateName: 'notify',
          },
        },
      },
    };
    const { workflow: retried, podsToDelete } = retryFailedWorkflow(workflow, {
      now,
      actor: 'user:default/jane',
    });
    const status = retried.status as any;
    expect(status.nodes).toEqual({});
    expect(podsToDelete).toEqual(['cs', 'cs-e']);
    expect(retried.spec).toEqual({ entrypoint: 'main' });
    expect(status).toEqual({
      conditions: [{ type: 'Completed', status: 'False' }],
      startedAt: NOW,
      finishedAt: null,
      nodes: {},
      storedWorkflowTemplateSpec: { entrypoint: 'main' },
    });
    expect((retried.metadata as any).labels).toEqual({
      'workflows.argoproj.io/actor': 'user-default-jane',
      'workflows.argoproj.io/action': 'Retry',
    });
  });

  it('reads compressed nodes and writes them back plain, without managedFields', () => {
    const failed = diamondWithFailedC();
    const compressedNodes = zlib
      .gzipSync(Buffer.from(JSON.stringify(failed.status.nodes)))
      .toString('base64');
    delete failed.status.nodes;
    failed.status.compressedNodes = compressedNodes;
    failed.metadata.managedFields = [{ manager: 'workflow-controller' }];
    const { workflow } = retryFailedWorkflow(failed, { now });
    const status = workflow.status as any;
    expect(status).not.toHaveProperty('compressedNodes');
    expect(Object.keys(status.nodes)).toHaveLength(3);
    expect(workflow.metadata).not.toHaveProperty('managedFields');
    expect((workflow.metadata as any).resourceVersion).toBe('4633');
  });

  it('does not change the original', () => {
    const original = stepsFailed();
    const before = JSON.stringify(original);
    retryFailedWorkflow(original, { now });
    expect(JSON.stringify(original)).toBe(before);
  });

  it('refuses what Argo refuses', () => {
    expect(() => retryFailedWorkflow(stepsRunning)).toThrow(
      "Cannot retry workflow 'failed-retries-tjjsc' in phase Running; only Failed or Error workflows can be retried",
    );
    expect(() => retryFailedWorkflow(dagDiamond)).toThrow(
      "Workflow 'dag-diamond-82q7s' succeeded; retrying succeeded nodes is not supported here",
    );
    expect(() => retryFailedWorkflow({ metadata: { name: 'new' } })).toThrow(
      InputError,
    );
    expect(() => retryFailedWorkflow({ status: { phase: 'Failed' } })).toThrow(
      'The workflow to retry has no metadata.name',
    );
    expect(() =>
      retryFailedWorkflow({
        metadata: { name: 'big' },
        status: { phase: 'Failed', offloadNodeStatusVersion: 'fnv:1' },
      }),
    ).toThrow(
      "Workflow 'big' keeps its node status in Argo's database; retry it through the Argo Server",
    );
  });

  it('fails on a node map Argo could not retry either', () => {
    expect(() =>
      retryFailedWorkflow({
        metadata: { name: 'wf' },
        status: {
          phase: 'Failed',
          nodes: {
            wf: { id: 'wf', name: 'wf', type: 'Steps', children: ['missing'] },
          },
        },
      }),
    ).toThrow("couldn't obtain child missing");
  });

  it('answers 409 for a workflow whose node tree does not hang together (renamed copy)', () => {
    const [workflow] = loadUpstreamFixtures(
      'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
    );
    workflow.status.phase = 'Failed';
    const renamed = {
      ...workflow,
      metadata: { ...workflow.metadata, name: 'copied-under-another-name' },
    };
    expect(() => retryFailedWorkflow(renamed)).toThrow(
      expect.objectContaining({
        name: 'ConflictError',
        message: expect.stringMatching(
          /^Workflow 'copied-under-another-name' cannot be retried: its node status is inconsistent \(couldn't find/,
        ),
      }),
    );
  });
});
