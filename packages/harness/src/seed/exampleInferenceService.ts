import { upstreamFlowerSample } from '../upstreamObjects';
import { SERVED_MODEL_ANNOTATION } from '@mlstack/plugin-mlops-common';
import {
  type KubeObject,
  relabelUpstreamObject,
  retimeStatus,
} from '../upstreamRelabel';
import { ENTITY, PART_OF, minutes } from './exampleWorkflows';

/**
 * Upstream flower-sample as the project's InferenceService (named after the entity), Ready
 * since 30 minutes before `now`, serving version 2 (the champion) of the example's registered
 * model, as a portal deploy records it (the Lineage tab reads that).
 */
export function servingInferenceService(
  namespace: string,
  now: number,
): KubeObject {
  const source = upstreamFlowerSample();
  const service = relabelUpstreamObject(source, {
    namespace,
    name: ENTITY,
    replace: { [source.metadata.namespace]: namespace },
  });
  service.metadata.labels = PART_OF;
  service.status = retimeStatus(service.status, now - minutes(30));
  // The status was recorded for generation 2.
  service.status.observedGeneration = 1;
  const storageUri = Object.values<KubeObject | undefined>(
    service.spec.predictor,
  ).find(component => typeof component?.storageUri === 'string')?.storageUri;
  service.metadata.annotations = {
    ...(service.metadata.annotations ?? {}),
    [SERVED_MODEL_ANNOTATION]: JSON.stringify({
      instance: 'default',
      modelName: ENTITY,
      version: '2',
      storageUri,
      deployedAt: new Date(now - minutes(30)).toISOString(),
    }),
  };
  return service;
}
