import {
  decodeContinueToken,
  encodeContinueToken,
  isWorkflowInScope,
  readWorkflowSources,
} from './workflowScope';

const entity = (annotations: Record<string, string>) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud', namespace: 'default', annotations },
});

describe('workflow scope', () => {
  const sources = readWorkflowSources(
    entity({
      'argoworkflows.argoproj.io/workflow-selector': 'team=fraud,env!=dev',
      'mlstack.io/argo-workflow-template': 'train, score',
    }),
  );

  it('lists with the selector, then the templates’ label', () => {
    expect(sources.templates).toEqual(['train', 'score']);
    expect(sources.selectors.map(s => s.text)).toEqual([
      'team=fraud,env!=dev',
      'workflows.argoproj.io/workflow-template in (train,score)',
    ]);
  });

  it('decides membership as the API server would', () => {
    expect(isWorkflowInScope(sources, { team: 'fraud' })).toBe(true);
    expect(isWorkflowInScope(sources, { team: 'fraud', env: 'dev' })).toBe(
      false,
    );
    expect(
      isWorkflowInScope(sources, {
        'workflows.argoproj.io/workflow-template': 'score',
      }),
    ).toBe(true);
    expect(
      isWorkflowInScope(sources, {
        'workflows.argoproj.io/cluster-workflow-template': 'score',
      }),
    ).toBe(false);
    expect(isWorkflowInScope(readWorkflowSources(entity({})), {})).toBe(false);
  });

  it('round-trips continue tokens, and refuses foreign or forged ones', () => {
    const token = encodeContinueToken(sources, {
      selector: 1,
      continueToken: 'abc',
    });
    expect(decodeContinueToken(sources, token)).toEqual({
      selector: 1,
      continueToken: 'abc',
    });
    const other = readWorkflowSources(
      entity({ 'mlstack.io/argo-workflow-template': 'train' }),
    );
    expect(() => decodeContinueToken(other, token)).toThrow(
      /changed since the first page/,
    );
    const forged = Buffer.from(JSON.stringify({ s: 7 })).toString('base64url');
    expect(() => decodeContinueToken(sources, forged)).toThrow(
      /Invalid continue token/,
    );
  });

  it('refuses a template name that cannot be a label value, naming the annotation', () => {
    expect(() =>
      readWorkflowSources(
        entity({ 'mlstack.io/argo-workflow-template': 'x'.repeat(64) }),
      ),
    ).toThrow(/mlstack\.io\/argo-workflow-template/);
  });
});
