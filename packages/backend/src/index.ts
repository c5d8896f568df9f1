/*
 * The MLStack portal's backend: Backstage's core plugins (catalog, scaffolder, auth, permission,
 * search, TechDocs, notifications) with the MLStack plugins and modules. What each runs on is in
 * app-config.yaml (embedded defaults) and app-config.production.yaml; see README.md here.
 */

import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// scaffolder plugin
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-github'));
backend.add(
  import('@backstage/plugin-scaffolder-backend-module-notifications'),
);

// techdocs plugin
backend.add(import('@backstage/plugin-techdocs-backend'));

// auth plugin
backend.add(import('@backstage/plugin-auth-backend'));
// See https://backstage.io/docs/backend-system/building-backends/migrating#the-auth-plugin
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
// See https://backstage.io/docs/auth/guest/provider
// GitHub sign-in (auth.providers.github in app-config.production.yaml); guest stays development-only.
backend.add(import('@backstage/plugin-auth-backend-module-github-provider'));

// catalog plugin
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
// MLStack: registered models claimed by entities as Resources (ml-model), their serving APIs
backend.add(import('@mlstack/plugin-catalog-backend-module-mlops'));

// See https://backstage.io/docs/features/software-catalog/configuration#subscribing-to-catalog-errors
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

// permission plugin, with the MLStack policy: MLStack actions (Argo, deploys) for the entity's
// owners and mlops.permissions.adminGroups; everything else as before
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('@mlstack/plugin-permission-backend-module-mlops'));

// search plugin
backend.add(import('@backstage/plugin-search-backend'));

// search engine
// See https://backstage.io/docs/features/search/search-engines
backend.add(import('@backstage/plugin-search-backend-module-pg'));

// search collators
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// user settings plugin
backend.add(import('@backstage/plugin-user-settings-backend'));

// notifications and signals plugins
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// mcp actions plugin
backend.add(import('@backstage/plugin-mcp-actions-backend'));

// MLStack: MLflow, Argo Workflows and KServe on entity pages
backend.add(import('@mlstack/plugin-mlops-backend'));
backend.add(import('@mlstack/plugin-scaffolder-backend-module-mlops'));

backend.start();
