import type { Entity } from '@backstage/catalog-model';
import {
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
