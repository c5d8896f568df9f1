import { entityTabHref } from './entityTabHref';

describe('entityTabHref', () => {
  it('points from the Lineage tab to a sibling tab with its query', () => {
    expect(
      entityTabHref('/catalog/default/component/fraud/lineage', {
        tab: 'pipelines',
        query: { workflow: 'train-abc12' },
      }),
    ).toBe('/catalog/default/component/fraud/pipelines?workflow=train-abc12');
  });

  it('points from the entity overview to the tab, without a query when there is none', () => {
    expect(
      entityTabHref('/catalog/default/resource/fraud-model/', {
        tab: 'serving',
        query: {},
      }),
    ).toBe('/catalog/default/resource/fraud-model/serving');
  });
});
