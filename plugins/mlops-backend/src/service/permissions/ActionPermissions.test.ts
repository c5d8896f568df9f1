import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { argoWorkflowStopPermission } from '@mlstack/plugin-mlops-common';
import { ActionPermissions, readServiceGrants } from './ActionPermissions';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud-detector', namespace: 'default' },
  spec: { owner: 'group:default/ml-team' },
};

function permissionsAnswering(result: AuthorizeResult) {
  const permissions = mockServices.permissions.mock();
  permissions.authorize.mockResolvedValue([{ result }] as any);
  return permissions;
}

describe('ActionPermissions', () => {
  it('asks the policy about a user, with the entity as the resource', async () => {
    const permissions = permissionsAnswering(AuthorizeResult.ALLOW);
    const checker = new ActionPermissions({
      permissions,
      serviceGrants: [],
      permissionsEnabled: true,
    });
    const credentials = mockCredentials.user('user:default/guest');
    await checker.require(argoWorkflowStopPermission, entity, credentials);
    expect(permissions.authorize).toHaveBeenCalledWith(
      [
        {
          permission: argoWorkflowStopPermission,
          resourceRef: 'component:default/fraud-detector',
        },
      ],
      { credentials },
    );
  });

  it('says who may act when the policy denies a user', async () => {
    const checker = new ActionPermissions({
      permissions: permissionsAnswering(AuthorizeResult.DENY),
      serviceGrants: [],
      permissionsEnabled: true,
    });
    await expect(
      checker.require(
        argoWorkflowStopPermission,
        entity,
        mockCredentials.user('user:default/riley'),
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "user:default/riley may not mlops.argo.workflow.stop on component:default/fraud-detector: the permission policy allows it to the entity's owner (group:default/ml-team) and its members, and to the admin groups, and user:default/riley is neither",
    });
  });

  it('refuses a service without a grant before asking the permission system (which lets services through)', async () => {
    const permissions = permissionsAnswering(AuthorizeResult.ALLOW);
    const checker = new ActionPermissions({
      permissions,
      serviceGrants: [
        { subject: 'ci', permissions: new Set(['mlops.argo.workflow.submit']) },
      ],
      permissionsEnabled: true,
    });
    await expect(
      checker.require(
        argoWorkflowStopPermission,
        entity,
        mockCredentials.service('ci'),
      ),
    ).rejects.toThrow(
      "service 'ci' may not mlops.argo.workflow.stop on component:default/fraud-detector: mlops.permissions.serviceGrants does not grant it to that service",
    );
    expect(permissions.authorize).not.toHaveBeenCalled();
  });

  it('lets a granted service through, subject to its token restrictions', async () => {
    const grants = [
      { subject: 'ci', permissions: new Set(['mlops.argo.workflow.stop']) },
    ];
    await expect(
      new ActionPermissions({
        permissions: permissionsAnswering(AuthorizeResult.ALLOW),
        serviceGrants: grants,
        permissionsEnabled: true,
      }).require(
        argoWorkflowStopPermission,
        entity,
        mockCredentials.service('ci'),
      ),
    ).resolves.toBeUndefined();
    await expect(
      new ActionPermissions({
        permissions: permissionsAnswering(AuthorizeResult.DENY),
        serviceGrants: grants,
        permissionsEnabled: true,
      }).require(
        argoWorkflowStopPermission,
        entity,
        mockCredentials.service('ci'),
      ),
    ).rejects.toThrow("its token's access restrictions do not include it");
  });
});

describe('ActionPermissions, services limited to owners, and no permission framework', () => {
  const stop = argoWorkflowStopPermission;
  const grants = [
    {
      subject: 'ci',
      permissions: new Set([stop.name]),
      owners: new Set(['group:default/risk-team']),
    },
  ];

  it('refuses a service on an entity of an owner its grant does not list', async () => {
    await expect(
      new ActionPermissions({
        permissions: permissionsAnswering(AuthorizeResult.ALLOW),
        serviceGrants: grants,
        permissionsEnabled: true,
      }).require(stop, entity, mockCredentials.service('ci')),
    ).rejects.toThrow(
      "service 'ci' may not mlops.argo.workflow.stop on component:default/fraud-detector: mlops.permissions.serviceGrants does not grant it to that service on entities of group:default/ml-team",
    );
    await expect(
      new ActionPermissions({
        permissions: permissionsAnswering(AuthorizeResult.ALLOW),
        serviceGrants: grants,
        permissionsEnabled: true,
      }).require(
        stop,
        { ...entity, spec: { owner: 'group:default/risk-team' } },
        mockCredentials.service('ci'),
      ),
    ).resolves.toBeUndefined();
  });

  it('refuses every action while permission.enabled is not true', async () => {
    const permissions = permissionsAnswering(AuthorizeResult.ALLOW);
    await expect(
      new ActionPermissions({
        permissions,
        serviceGrants: [],
        permissionsEnabled: false,
      }).require(stop, entity, mockCredentials.user('user:default/guest')),
    ).rejects.toThrow(
      'user:default/guest may not mlops.argo.workflow.stop on component:default/fraud-detector: MLStack actions are refused while permission.enabled is not true (nothing would check who acts)',
    );
    expect(permissions.authorize).not.toHaveBeenCalled();
  });
});

describe('readServiceGrants', () => {
  it('reads each grant, with its owners in their full form', () => {
    const grants = readServiceGrants(
      new ConfigReader({
        mlops: {
          permissions: {
            serviceGrants: [
              { subject: 'ci', permissions: ['mlops.argo.workflow.submit'] },
              {
                subject: 'ci',
                permissions: ['mlops.argo.workflow.stop'],
                owners: ['ML-Team'],
              },
            ],
          },
        },
      }),
    );
    expect(grants).toEqual([
      { subject: 'ci', permissions: new Set(['mlops.argo.workflow.submit']) },
      {
        subject: 'ci',
        permissions: new Set(['mlops.argo.workflow.stop']),
        owners: new Set(['group:default/ml-team']),
      },
    ]);
  });

  it('fails on an owner that is not an entity ref, naming the key', () => {
    expect(() =>
      readServiceGrants(
        new ConfigReader({
          mlops: {
            permissions: {
              serviceGrants: [
                {
                  subject: 'ci',
                  permissions: ['mlops.argo.workflow.stop'],
                  owners: ['a:b:c'],
                },
              ],
            },
          },
        }),
      ),
    ).toThrow(
      "mlops.permissions.serviceGrants[0].owners names 'a:b:c', which is not an entity ref",
    );
  });

  it('fails on a permission name that does not exist, naming the key', () => {
    expect(() =>
      readServiceGrants(
        new ConfigReader({
          mlops: {
            permissions: {
              serviceGrants: [
                { subject: 'ci', permissions: ['mlops.argo.workflow.sumbit'] },
              ],
            },
          },
        }),
      ),
    ).toThrow(
      "mlops.permissions.serviceGrants[0].permissions names 'mlops.argo.workflow.sumbit', which is not an MLStack permission",
    );
  });
});
