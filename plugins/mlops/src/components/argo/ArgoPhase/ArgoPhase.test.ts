import { isFailedPhase, isLivePhase, isLiveRun } from './ArgoPhase';

describe('Argo phases', () => {
  it('treats pending, running and just-created runs as live', () => {
    expect(isLiveRun({ phase: 'Running' })).toBe(true);
    expect(isLiveRun({ phase: 'Pending' })).toBe(true);
    // Created, but the controller has not set a phase yet.
    expect(isLiveRun({ phase: 'Unknown' })).toBe(true);
    expect(
      isLiveRun({ phase: 'Unknown', finishedAt: '2025-05-12T09:30:00Z' }),
    ).toBe(false);
    expect(isLiveRun({ phase: 'Succeeded' })).toBe(false);
    expect(isLivePhase('Unknown')).toBe(false);
  });

  it('retries failed and errored runs only', () => {
    expect(isFailedPhase('Failed')).toBe(true);
    expect(isFailedPhase('Error')).toBe(true);
    expect(isFailedPhase('Succeeded')).toBe(false);
    expect(isFailedPhase('Running')).toBe(false);
  });
});
