import { mlopsApiRef } from './api';
import {
  EntityMlflowContent,
  EntityMlflowModelsCard,
  EntityPipelinesContent,
  EntityServingContent,
  mlopsPlugin,
} from './plugin';

describe('mlopsPlugin (legacy frontend system)', () => {
  it('registers the MlopsApi factory', () => {
    expect(mlopsPlugin.getId()).toBe('mlops');
    const apis = Array.from(mlopsPlugin.getApis());
    expect(apis.map(a => a.api.id)).toEqual([mlopsApiRef.id]);
    expect(Object.keys(apis[0].deps).sort()).toEqual([
      'discoveryApi',
      'fetchApi',
    ]);
  });

  it('exports the tab and the card as extensions of the plugin', () => {
    expect(typeof EntityMlflowContent).toBe('function');
    expect(typeof EntityMlflowModelsCard).toBe('function');
    expect(mlopsPlugin.routes.root).toBeTruthy();
    expect(typeof EntityPipelinesContent).toBe('function');
    expect(typeof EntityServingContent).toBe('function');
    expect(mlopsPlugin.routes.pipelines).toBeTruthy();
    expect(mlopsPlugin.routes.serving).toBeTruthy();
  });
});
