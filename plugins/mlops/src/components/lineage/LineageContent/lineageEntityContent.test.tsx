import { coreExtensionData } from '@backstage/frontend-plugin-api';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import plugin from '../../../alpha';
import {
  entity,
  entityWithoutAnnotations,
} from '../../../__testUtils__/fixtures';
import { lineageEntityContent } from '../../../extensions';

/** A model as the catalog module ingests it: a Resource with the project's annotations. */
const modelResource = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: {
    name: 'fraud-detector-model',
    annotations: {
      'mlflow.org/registered-model-name': 'fraud-detector',
      'backstage.io/kubernetes-namespace': 'ml-projects',
      'mlstack.io/kserve-selector': 'app=fraud-detector',
    },
  },
  spec: { type: 'ml-model', owner: 'group:default/ml-team' },
};

describe('the Lineage entity tab', () => {
  it('is part of the plugin, at path lineage, titled Lineage', () => {
    expect(plugin.getExtension('entity-content:mlops/lineage')).toMatchObject({
      kind: 'entity-content',
      name: 'lineage',
    });
    const tester = createExtensionTester(lineageEntityContent);
    expect(tester.get(coreExtensionData.routePath)).toBe('lineage');
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Lineage');
  });

  it('shows on ML projects and ml-model Resources that name a model, not elsewhere', () => {
    const tester = createExtensionTester(lineageEntityContent);
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction)!;
    expect(filter(entity)).toBe(true);
    expect(filter(modelResource)).toBe(true);
    expect(filter(entityWithoutAnnotations)).toBe(false);
  });
});
