import { servingInferenceService } from './exampleInferenceService';
import {
  failedRetriesWorkflow,
  runningWorkflow,
  succeededWorkflow,
  trainingTemplate,
} from './exampleWorkflows';
import { sweepWorkflow } from './sweepWorkflow';

const NOW = Date.UTC(2026, 10, 1, 12, 0, 0);
const minutesBefore = (m: number) => NOW - m * 60_000;

/** Every time of an object's status, as ms. */
function statusTimes(object: Record<string, any>): number[] {
  return [...JSON.stringify(object.status).matchAll(/"(\d{4}-[^"]+Z)"/g)].map(
    m => Date.parse(m[1]),
  );
}

describe('the example project seeded into the harness cluster', () => {
  it('has a submittable template with the upstream diamond templates', () => {
    const template = trainingTemplate('ml-projects');
    expect(template.metadata).toMatchObject({
      name: 'fraud-detector-train',
      namespace: 'ml-projects',
      labels: { 'app.kubernetes.io/part-of': 'fraud-detector' },
    });
    expect(template.spec.templates.map((t: any) => t.name)).toEqual(
      expect.arrayContaining(['diamond', 'echo']),
    );
  });

  it('has the upstream diamond, relabelled, Succeeded 90 minutes ago', () => {
    const workflow = succeededWorkflow('ml-projects', NOW);
    const name = 'fraud-detector-dag-82q7s';
    expect(workflow.metadata.name).toBe(name);
    expect(workflow.metadata.labels).toEqual({
      'app.kubernetes.io/part-of': 'fraud-detector',
      'workflows.argoproj.io/workflow-template': 'fraud-detector-train',
      'workflows.argoproj.io/phase': 'Succeeded',
      'workflows.argoproj.io/completed': 'true',
    });
    expect(workflow.status.nodes[name].type).toBe('DAG');
    expect(Math.min(...statusTimes(workflow))).toBe(minutesBefore(90));
    expect(workflow.spec.workflowTemplateRef).toBeUndefined();
    expect(workflow.spec.arguments.parameters).toContainEqual({
      name: 'run-name',
      value: 'baseline',
    });
  });

  it('has the same DAG running, D not finished', () => {
    const workflow = runningWorkflow('ml-projects', NOW);
    expect(workflow.status.phase).toBe('Running');
    expect(workflow.status.finishedAt).toBeUndefined();
    expect(workflow.metadata.labels['workflows.argoproj.io/completed']).toBe(
      undefined,
    );
    const running = Object.values<any>(workflow.status.nodes)
      .filter(n => n.phase === 'Running')
      .map(n => n.displayName);
    expect(running).toEqual(
      expect.arrayContaining(['D', 'fraud-detector-live-x7k2p']),
    );
    expect(running).toHaveLength(2);
  });

  it('has the upstream retries finished Failed, with times in order', () => {
    const workflow = failedRetriesWorkflow('ml-projects', NOW);
    const { status } = workflow;
    expect(status.phase).toBe('Failed');
    expect(status.message).toBe(
      "child 'fraud-detector-retries-tjjsc-20069324' failed",
    );
    for (const node of Object.values<any>(status.nodes)) {
      expect(node.phase).toBe('Failed');
      expect(Date.parse(node.startedAt)).toBeLessThanOrEqual(
        Date.parse(node.finishedAt),
      );
    }
    expect(Date.parse(status.startedAt)).toBe(minutesBefore(45));
  });

  it('has a 500-node sweep whose every shard hangs from the root', () => {
    const workflow = sweepWorkflow('ml-projects', NOW);
    const nodes = workflow.status.nodes;
    expect(Object.keys(nodes)).toHaveLength(500);
    const reachable = new Set<string>();
    const visit = (id: string) => {
      reachable.add(id);
      (nodes[id].children ?? []).forEach(visit);
    };
    visit(workflow.metadata.name);
    expect(reachable.size).toBe(500);
    expect(
      Object.values<any>(nodes).filter(n => n.phase === 'Failed'),
    ).toHaveLength(6);
  });

  it('serves version 2 of the registered model from the relabelled flower-sample', () => {
    const service = servingInferenceService('ml-projects', NOW);
    expect(service.metadata.name).toBe('fraud-detector');
    expect(service.metadata.namespace).toBe('ml-projects');
    expect(service.status.url).toBe(
      'http://fraud-detector.ml-projects.example.com',
    );
    expect(service.status.observedGeneration).toBe(1);
    const served = JSON.parse(
      service.metadata.annotations['mlstack.io/served-model'],
    );
    expect(served).toMatchObject({
      modelName: 'fraud-detector',
      version: '2',
      deployedAt: new Date(minutesBefore(30)).toISOString(),
    });
    expect(served.storageUri).toMatch(/^gs:\/\//);
  });
});
