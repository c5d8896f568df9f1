import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Request } from 'express';
import { EntityLoader } from './EntityLoader';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud-detector', namespace: 'default' },
};
const ref = { kind: 'Component', namespace: 'default', name: 'fraud-detector' };

function requestAs(header: string): Request {
  return { headers: { authorization: header } } as unknown as Request;
}

describe('EntityLoader', () => {
  let now: number;
  let lookups: Array<{ ref: string; caller: string }>;
  let visible: boolean;
  const catalog = {
    async getEntityByRef(entityRef: string, options: { credentials: any }) {
      lookups.push({
        ref: entityRef,
        caller: options.credentials.principal.userEntityRef,
      });
      return visible ? entity : undefined;
    },
  } as unknown as CatalogService;

  const loader = () =>
    new EntityLoader({
      catalog,
      httpAuth: mockServices.httpAuth(),
      ttlMs: 5_000,
      now: () => now,
    });

  beforeEach(() => {
    now = 1_000;
    lookups = [];
    visible = true;
  });

  it('asks the catalog once per caller and entity within the time to keep', async () => {
    const entities = loader();
    const alice = requestAs(mockCredentials.user.header('user:default/alice'));
    const bob = requestAs(mockCredentials.user.header('user:default/bob'));

    await expect(entities.load(alice, ref)).resolves.toBe(entity);
    await entities.load(alice, ref);
    await entities.load(bob, ref);
    expect(lookups).toEqual([
      { ref: 'component:default/fraud-detector', caller: 'user:default/alice' },
      { ref: 'component:default/fraud-detector', caller: 'user:default/bob' },
    ]);

    now += 5_000;
    await entities.load(alice, ref);
    expect(lookups).toHaveLength(3);
  });

  it('reports an invisible entity as not found, and does not keep the failure', async () => {
    const entities = loader();
    const alice = requestAs(mockCredentials.user.header('user:default/alice'));
    visible = false;
    await expect(entities.load(alice, ref)).rejects.toBeInstanceOf(
      NotFoundError,
    );
    visible = true;
    await expect(entities.load(alice, ref)).resolves.toBe(entity);
    expect(lookups).toHaveLength(2);
  });
});
