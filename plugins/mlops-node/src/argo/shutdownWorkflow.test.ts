import { ConflictError } from '@backstage/errors';
import { loadUpstreamFixtures } from '@internal/harness';
import {
  ARGO_SHUTDOWN_PATCH_CONTENT_TYPE,
  assertWorkflowCanBeShutDown,
  buildShutdownPatch,
} from './shutdownWorkflow';

describe('buildShutdownPatch', () => {
  it('is the merge patch argo stop / argo terminate send', () => {
    expect(ARGO_SHUTDOWN_PATCH_CONTENT_TYPE).toBe(
      'application/merge-patch+json',
    );
    expect(buildShutdownPatch('Stop')).toEqual({ spec: { shutdown: 'Stop' } });
    expect(buildShutdownPatch('Terminate')).toEqual({
      spec: { shutdown: 'Terminate' },
    });
  });

  it("adds the Argo Server's actor labels when an actor is named", () => {
    expect(
      buildShutdownPatch('Terminate', { actor: 'user:default/jane' }),
    ).toEqual({
      spec: { shutdown: 'Terminate' },
      metadata: {
        labels: {
          'workflows.argoproj.io/actor': 'user-default-jane',
          'workflows.argoproj.io/action': 'Terminate',
        },
      },
    });
    expect(buildShutdownPatch('Stop', { actor: '///' })).toEqual({
      spec: { shutdown: 'Stop' },
    });
  });
});

describe('assertWorkflowCanBeShutDown', () => {
  const [succeeded] = loadUpstreamFixtures(
    'argo-workflows/examples/workflows-with-status/dag-diamond-succeeded.yaml',
  );
  const [running] = loadUpstreamFixtures(
    'argo-workflows/examples/workflows-with-status/steps-failed-retries.yaml',
  );

  it('accepts a running or not yet started workflow', () => {
    expect(() => assertWorkflowCanBeShutDown(running)).not.toThrow();
    expect(() =>
      assertWorkflowCanBeShutDown({ metadata: { name: 'new' } }),
    ).not.toThrow();
  });

  it('refuses a completed one', () => {
    expect(() => assertWorkflowCanBeShutDown(succeeded)).toThrow(ConflictError);
    expect(() => assertWorkflowCanBeShutDown(succeeded)).toThrow(
      "Workflow 'dag-diamond-82q7s' in namespace 'argo' has already completed (Succeeded); it cannot be stopped or terminated",
    );
    for (const phase of ['Failed', 'Error']) {
      expect(() =>
        assertWorkflowCanBeShutDown({ ...running, status: { phase } }),
      ).toThrow(ConflictError);
    }
  });
});
