import type { AuthService } from '@backstage/backend-plugin-api';
import { CATALOG_FILTER_EXISTS } from '@backstage/catalog-client';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { MLFLOW_REGISTERED_MODEL_ANNOTATION } from '@mlstack/plugin-mlops-common';
import { CLAIMED_BY_ANNOTATION } from '../entities/annotations';

/** How many claiming entities one page holds. */
export const CLAIMER_PAGE_SIZE = 100;

/** What the provider reads of a claiming entity: its ref, annotations, owner, system, lifecycle. */
export const CLAIMER_FIELDS = [
  'kind',
  'metadata.namespace',
  'metadata.name',
  'metadata.annotations',
  'spec.owner',
  'spec.system',
  'spec.lifecycle',
  'relations',
];

/**
 * What the provider reads the catalog with: the claiming entities, a page at a time, and
 * entities by ref.
 *
 * @public
 */
export type CatalogReader = Pick<
  CatalogService,
  'queryEntities' | 'getEntitiesByRefs'
>;

/** Reads the catalog with the module's own service credentials. */
export class CatalogPages {
  constructor(
    private readonly catalog: CatalogReader,
    private readonly auth: Pick<AuthService, 'getOwnServiceCredentials'>,
    private readonly pageSize: number = CLAIMER_PAGE_SIZE,
  ) {}

  /** The entities that name registered models, a page at a time, ordered by name. */
  claimerPages(): AsyncGenerator<Entity[]> {
    return this.pages(MLFLOW_REGISTERED_MODEL_ANNOTATION, CLAIMER_FIELDS);
  }

  /** The claiming entities of the given refs (those the catalog no longer has are left out). */
  async claimersByRef(refs: string[]): Promise<Entity[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    const { items } = await this.catalog.getEntitiesByRefs(
      { entityRefs: refs, fields: CLAIMER_FIELDS },
      { credentials },
    );
    return items.filter((e): e is Entity => Boolean(e));
  }

  /**
   * The refs of the entities in the catalog that this module emitted (they carry
   * `mlstack.io/claimed-by`), read a page of refs at a time.
   */
  async emittedRefs(): Promise<Set<string>> {
    const refs = new Set<string>();
    for await (const page of this.pages(CLAIMED_BY_ANNOTATION, [
      'kind',
      'metadata.namespace',
      'metadata.name',
    ])) {
      page.forEach(entity => refs.add(stringifyEntityRef(entity)));
    }
    return refs;
  }

  private async *pages(
    annotation: string,
    fields: string[],
  ): AsyncGenerator<Entity[]> {
    const credentials = await this.auth.getOwnServiceCredentials();
    let cursor: string | undefined;
    do {
      const response = await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: this.pageSize, fields }
          : {
              filter: {
                [`metadata.annotations.${annotation}`]: CATALOG_FILTER_EXISTS,
              },
              orderFields: { field: 'metadata.name', order: 'asc' },
              limit: this.pageSize,
              fields,
              totalItems: 'exclude',
            },
        { credentials },
      );
      yield response.items;
      cursor = response.pageInfo.nextCursor;
    } while (cursor);
  }
}
