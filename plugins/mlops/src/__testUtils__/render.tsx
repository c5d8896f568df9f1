import type { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import {
  type PermissionApi,
  permissionApiRef,
} from '@backstage/plugin-permission-react';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { ReactElement } from 'react';
import { mlopsApiRef } from '../api';
import type { FakeMlopsApi } from './fakeMlopsApi';
import { entity as defaultEntity } from './fixtures';

/** What the fake permission API answers (the values of `AuthorizeResult`). */
export type Decision = 'ALLOW' | 'DENY';

/**
 * Renders `element` in a test app with the fake MlopsApi and an entity in
 * context. Permissions are allowed unless `authorize` says otherwise.
 */
export function renderWithApi(
  element: ReactElement,
  options: {
    api: FakeMlopsApi;
    entity?: Entity;
    route?: string;
    authorize?: Decision | ((permissionName: string) => Decision);
  },
) {
  const { authorize = 'ALLOW' } = options;
  const permissionApi = {
    authorize: async (request: { permission: { name: string } }) => ({
      result:
        typeof authorize === 'function'
          ? authorize(request.permission.name)
          : authorize,
    }),
  } as unknown as PermissionApi;
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [mlopsApiRef, options.api],
        [permissionApiRef, permissionApi],
      ]}
    >
      <EntityProvider entity={options.entity ?? defaultEntity}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    {
      initialRouteEntries: options.route ? [options.route] : undefined,
    },
  );
}
