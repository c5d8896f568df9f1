import { mlopsApiRef } from './api';
import {
  EntityMlflowContent,
  EntityMlflowModelsCard,
  EntityPipelinesContent,
  EntityServingContent,
  mlopsPlugin,
} from './plugin';
import { mlflowRouteRef, pipelinesRouteRef, servingRouteRef } from './routes';

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
    expect(mlopsPlugin.routes.mlflow).toBe(mlflowRouteRef);
    expect(typeof EntityPipelinesContent).toBe('function');
    expect(typeof EntityServingContent).toBe('function');
    expect(mlopsPlugin.routes.pipelines).toBe(pipelinesRouteRef);
    expect(mlopsPlugin.routes.serving).toBe(servingRouteRef);
  });

  it('keeps the ids of the route refs', () => {
    expect(String(mlflowRouteRef)).toContain('mlops:mlflow');
    expect(String(pipelinesRouteRef)).toContain('mlops:pipelines');
    expect(String(servingRouteRef)).toContain('mlops:serving');
  });
});
