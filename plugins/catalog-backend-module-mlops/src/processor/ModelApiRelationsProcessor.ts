import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_API_PROVIDED_BY,
  RELATION_PROVIDES_API,
} from '@backstage/catalog-model';
import type { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { ML_MODEL_RESOURCE_TYPE } from '../entities/annotations';

function isModelResource(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    entity.spec?.type === ML_MODEL_RESOURCE_TYPE
  );
}

/**
 * Backstage's catalog model lets only Components provide APIs. This processor gives a
 * `Resource` of `spec.type: ml-model` the same relations for the APIs in its
 * `spec.providesApis` (refs default to kind API and the model's namespace):
 * `providesApi` from the model, `apiProvidedBy` from the API, so that the catalog graph and
 * the APIs' "provided by" show the model serving them.
 *
 * @public
 */
export class ModelApiRelationsProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'MlstackModelApiRelationsProcessor';
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const provides = entity.spec?.providesApis;
    if (!isModelResource(entity) || provides === undefined) {
      return entity;
    }
    const self = getCompoundEntityRef(entity);
    if (!Array.isArray(provides)) {
      emit(
        processingResult.inputError(
          location,
          `spec.providesApis of ${entity.metadata.name} must be a list of API entity refs`,
        ),
      );
      return entity;
    }
    for (const value of provides) {
      let api;
      try {
        api = parseEntityRef(String(value), {
          defaultKind: 'API',
          defaultNamespace: self.namespace,
        });
      } catch (error) {
        emit(
          processingResult.inputError(
            location,
            `spec.providesApis of ${entity.metadata.name}: ${
              (error as Error).message
            }`,
          ),
        );
        continue;
      }
      emit(
        processingResult.relation({
          source: self,
          type: RELATION_PROVIDES_API,
          target: api,
        }),
      );
      emit(
        processingResult.relation({
          source: api,
          type: RELATION_API_PROVIDED_BY,
          target: self,
        }),
      );
    }
    return entity;
  }
}
