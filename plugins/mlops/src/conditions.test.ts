import type { Entity } from '@backstage/catalog-model';
import {
  isArgoWorkflowsAvailable,
  isKServeAvailable,
  isMlflowAvailable,
  isMlflowModelRegistryAvailable,
} from './conditions';

function entityWith(annotations?: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'x', annotations },
  };
}

describe('isMlflowAvailable', () => {
  it.each([
    [{ 'mlflow.org/experiment-name': 'fraud' }, true],
    [{ 'mlflow.org/registered-model-name': 'fraud-model' }, true],
    [{ 'mlflow.org/experiment-name': ' , ' }, false],
    [{ 'mlflow.org/instance': 'prod' }, false],
    [undefined, false],
  ])('%j → %s', (annotations, expected) => {
    expect(isMlflowAvailable(entityWith(annotations))).toBe(expected);
  });

  it('only offers the registry card when models are named', () => {
    expect(
      isMlflowModelRegistryAvailable(
        entityWith({ 'mlflow.org/experiment-name': 'fraud' }),
      ),
    ).toBe(false);
    expect(
      isMlflowModelRegistryAvailable(
        entityWith({ 'mlflow.org/registered-model-name': 'fraud-model' }),
      ),
    ).toBe(true);
  });
});

describe('isArgoWorkflowsAvailable', () => {
  it.each([
    [{ 'argoworkflows.argoproj.io/workflow-selector': 'app=fraud' }, true],
    [{ 'mlstack.io/argo-workflow-template': 'train, eval' }, true],
    [{ 'argoworkflows.argoproj.io/workflow-selector': '  ' }, false],
    [{ 'mlstack.io/argo-workflow-template': ' , ' }, false],
    [{ 'backstage.io/kubernetes-namespace': 'ml' }, false],
    [undefined, false],
  ])('%j → %s', (annotations, expected) => {
    expect(isArgoWorkflowsAvailable(entityWith(annotations))).toBe(expected);
  });
});

describe('isKServeAvailable', () => {
  it.each([
    [{ 'mlstack.io/kserve-inference-service': 'fraud-detector' }, true],
    [{ 'mlstack.io/kserve-selector': 'app=fraud' }, true],
    [{ 'mlstack.io/kserve-inference-service': ',' }, false],
    [{ 'argoworkflows.argoproj.io/workflow-selector': 'app=fraud' }, false],
    [undefined, false],
  ])('%j → %s', (annotations, expected) => {
    expect(isKServeAvailable(entityWith(annotations))).toBe(expected);
  });
});
