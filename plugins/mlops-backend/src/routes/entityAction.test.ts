import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import { createPermission } from '@backstage/plugin-permission-common';
import type express from 'express';
import type { ActionPermissions } from '../service/permissions/ActionPermissions';
import { entityAction } from './entityAction';

const permission = createPermission({
  name: 'mlops.test.act',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

const entity = (etag: string, owner: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud', namespace: 'default', etag },
  spec: { owner },
});

/** The entity before the decision, then another owner's version of it. */
function setUp() {
  const freshEntityOf = jest
    .fn()
    .mockResolvedValueOnce(entity('e1', 'group:default/ml'))
    .mockResolvedValue(entity('e2', 'group:default/someone-else'));
  const events: string[] = [];
  const auditor = mockServices.auditor.mock();
  auditor.createEvent.mockImplementation(async () => ({
    success: async () => {
      events.push('success');
    },
    fail: async () => {
      events.push('fail');
    },
  }));
  const httpAuth = mockServices.httpAuth.mock();
  httpAuth.credentials.mockResolvedValue(mockCredentials.user() as any);
  const require = jest.fn().mockResolvedValue(undefined);
  const act = entityAction({
    freshEntityOf,
    httpAuth,
    auditor,
    actionPermissions: { require } as unknown as ActionPermissions,
  });
  const res = { status: jest.fn().mockReturnThis(), json: jest.fn() };
  const run = jest.fn(
    async (e: Entity, _actor?: string, _reads?: Promise<unknown>) => ({
      body: { owner: e.spec?.owner },
      meta: {},
    }),
  );
  return { act, res, run, freshEntityOf, events, require };
}

describe('entityAction', () => {
  it('refuses a write with 409, running nothing, when the owner changed while the policy decided', async () => {
    const { act, res, run, events } = setUp();
    await expect(
      act({} as express.Request, res as unknown as express.Response, {
        eventId: 'test-write',
        permission,
        meta: {},
        status: 201,
        run,
      }),
    ).rejects.toThrow(ConflictError);
    expect(run).not.toHaveBeenCalled();
    expect(res.status).not.toHaveBeenCalled();
    expect(events).toEqual(['fail']);
  });

  it('acts on the version the permission was decided on when nothing changed meanwhile', async () => {
    const { act, res, run, freshEntityOf, events, require } = setUp();
    freshEntityOf
      .mockReset()
      .mockResolvedValue(entity('e1', 'group:default/ml'));
    await act({} as express.Request, res as unknown as express.Response, {
      eventId: 'test-write',
      permission,
      meta: {},
      status: 201,
      run,
    });
    expect(freshEntityOf).toHaveBeenCalledTimes(2);
    expect(require.mock.calls[0][1].metadata.etag).toBe('e1');
    expect(run.mock.calls[0][0].metadata.etag).toBe('e1');
    expect(res.status).toHaveBeenCalledWith(201);
    expect(res.json).toHaveBeenCalledWith({ owner: 'group:default/ml' });
    expect(events).toEqual(['success']);
  });

  it('runs nothing and records a failure when the permission is refused', async () => {
    const { act, res, run, require, events } = setUp();
    require.mockRejectedValue(new Error('refused'));
    await expect(
      act({} as express.Request, res as unknown as express.Response, {
        eventId: 'test-preview',
        permission,
        meta: {},
        status: 200,
        run,
      }),
    ).rejects.toThrow('refused');
    expect(run).not.toHaveBeenCalled();
    expect(events).toEqual(['fail']);
  });
  it('starts the read-ahead beside the decision and hands it to the action only when allowed', async () => {
    const { act, res, run, freshEntityOf } = setUp();
    freshEntityOf
      .mockReset()
      .mockResolvedValue(entity('e1', 'group:default/ml'));
    const readAhead = jest.fn(
      async (e: Entity) => `read for ${e.metadata.etag}`,
    );
    await act({} as express.Request, res as unknown as express.Response, {
      eventId: 'test-preview',
      permission,
      meta: {},
      status: 200,
      readAhead,
      run,
    });
    expect(readAhead).toHaveBeenCalledTimes(1);
    await expect(run.mock.calls[0][2]).resolves.toBe('read for e1');
  });

  it('drops a failed read-ahead unseen when the permission is refused (the refusal is the answer)', async () => {
    const { act, res, run, require, events } = setUp();
    require.mockRejectedValue(new Error('refused'));
    await expect(
      act({} as express.Request, res as unknown as express.Response, {
        eventId: 'test-preview',
        permission,
        meta: {},
        status: 200,
        readAhead: async () => {
          throw new Error('namespace is not a deploy target');
        },
        run,
      }),
    ).rejects.toThrow('refused');
    expect(run).not.toHaveBeenCalled();
    expect(events).toEqual(['fail']);
  });
});
