import type { Entity } from '@backstage/catalog-model';
import {
  renderInTestApp,
  TestApiProvider,
} from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import type { ReactElement } from 'react';
import { mlopsApiRef } from '../api';
import type { FakeMlopsApi } from './fakeMlopsApi';
import { entity as defaultEntity } from './fixtures';

/** Renders `element` in a test app with the fake MlopsApi and an entity in context. */
export function renderWithApi(
  element: ReactElement,
  options: { api: FakeMlopsApi; entity?: Entity; route?: string },
) {
  return renderInTestApp(
    <TestApiProvider apis={[[mlopsApiRef, options.api]]}>
      <EntityProvider entity={options.entity ?? defaultEntity}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    {
      initialRouteEntries: options.route ? [options.route] : undefined,
    },
  );
}
