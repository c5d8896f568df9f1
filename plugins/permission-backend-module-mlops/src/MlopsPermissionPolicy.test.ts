import { ConfigReader } from '@backstage/config';
import {
  AuthorizeResult,
  createPermission,
} from '@backstage/plugin-permission-common';
import type { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  argoWorkflowSubmitPermission,
  argoWorkflowTerminatePermission,
} from '@mlstack/plugin-mlops-common';
import {
  MlopsPermissionPolicy,
  readMlopsPolicySettings,
} from './MlopsPermissionPolicy';

function userWith(ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
  } as unknown as PolicyQueryUser;
}

const policy = new MlopsPermissionPolicy({
  adminGroups: ['group:default/platform-team'],
});

describe('MlopsPermissionPolicy', () => {
  it('gives the owners of the entity a conditional decision on isEntityOwner with their ownership refs', async () => {
    const claims = ['user:default/guest', 'group:default/ml-team'];
    const decision = await policy.handle(
      { permission: argoWorkflowSubmitPermission },
      userWith(claims),
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: { claims },
      },
    });
  });

  it('allows members of an admin group outright, whatever the case of the ref', async () => {
    const decision = await policy.handle(
      { permission: argoWorkflowTerminatePermission },
      userWith(['user:default/pat', 'Group:default/Platform-Team']),
    );
    expect(decision).toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('denies an MLStack action without a user', async () => {
    const decision = await policy.handle({
      permission: argoWorkflowSubmitPermission,
    });
    expect(decision).toEqual({ result: AuthorizeResult.DENY });
  });

  it('denies a future mlops.* permission that is not a resource permission, unless admin', async () => {
    const basic = createPermission({
      name: 'mlops.deploy.targets.manage',
      attributes: {},
    });
    await expect(
      policy.handle({ permission: basic }, userWith(['user:default/guest'])),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle(
        { permission: basic },
        userWith(['group:default/platform-team']),
      ),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('leaves the permissions of other plugins allowed, as before', async () => {
    const catalogRead = createPermission({
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    });
    await expect(
      policy.handle({ permission: catalogRead }, userWith(['user:default/x'])),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });
});

describe('readMlopsPolicySettings', () => {
  it('reads admin groups in their full lower-case form', () => {
    expect(
      readMlopsPolicySettings(
        new ConfigReader({
          mlops: { permissions: { adminGroups: ['Platform-Team'] } },
        }),
      ),
    ).toEqual({ adminGroups: ['group:default/platform-team'] });
  });

  it('has no admin groups without config', () => {
    expect(readMlopsPolicySettings(new ConfigReader({}))).toEqual({
      adminGroups: [],
    });
  });

  it.each([['user:default/pat'], ['group:a:b/c']])(
    'refuses %s as an admin group, naming the key',
    value => {
      expect(() =>
        readMlopsPolicySettings(
          new ConfigReader({
            mlops: { permissions: { adminGroups: [value] } },
          }),
        ),
      ).toThrow(`mlops.permissions.adminGroups[0] is '${value}'`);
    },
  );
});
