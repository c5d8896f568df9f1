import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { httpRouterServiceFactory } from '@backstage/backend-defaults/httpRouter';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { permissionsRegistryServiceFactory } from '@backstage/backend-defaults/permissionsRegistry';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import {
  AuditorServiceCreateEventOptions,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import type { JsonObject } from '@backstage/types';
import authPlugin from '@backstage/plugin-auth-backend';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import catalogModuleScaffolderEntityModel from '@backstage/plugin-catalog-backend-module-scaffolder-entity-model';
import permissionPlugin from '@backstage/plugin-permission-backend';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import mlopsPlugin from '@mlstack/plugin-mlops-backend';
import mlopsPolicyModule from '@mlstack/plugin-permission-backend-module-mlops';
import scaffolderModuleMlops from '@mlstack/plugin-scaffolder-backend-module-mlops';
import { authModuleTestUsers, TEST_USER_HEADER } from './testUsersAuthModule';

/** One audit event as the backend recorded it: what, about what, and how it ended. */
export interface RecordedAuditEvent {
  plugin: string;
  eventId: string;
  meta: Record<string, unknown>;
  outcome: 'pending' | 'succeeded' | 'failed';
  error?: { name: string; message: string };
}

/** An auditor that keeps every event, for the tests to read (the rest of the backend is real). */
export function recordingAuditor() {
  const events: RecordedAuditEvent[] = [];
  const factory = createServiceFactory({
    service: coreServices.auditor,
    deps: { plugin: coreServices.pluginMetadata },
    factory({ plugin }) {
      return {
        async createEvent(options: AuditorServiceCreateEventOptions) {
          const event: RecordedAuditEvent = {
            plugin: plugin.getId(),
            eventId: options.eventId,
            meta: { ...(options.meta ?? {}) },
            outcome: 'pending',
          };
          events.push(event);
          return {
            async success(params?: { meta?: JsonObject }) {
              event.outcome = 'succeeded';
              Object.assign(event.meta, params?.meta ?? {});
            },
            async fail(params: { error: Error; meta?: JsonObject }) {
              event.outcome = 'failed';
              event.error = {
                name: params.error.name,
                message: params.error.message,
              };
              Object.assign(event.meta, params.meta ?? {});
            },
          };
        },
      };
    },
  });
  return { events, factory };
}

/**
 * The portal's backend as far as trust goes, all real: the auth backend issuing user tokens
 * (signed in through the catalog by the test-users provider), the catalog, the permission
 * backend with the MLStack policy, the MLStack backend, Backstage's own auth, httpAuth, userInfo,
 * permissions and httpRouter services. Only the auditor records instead of logging.
 *
 * `scaffolder: true` adds the scaffolder with the MLStack actions
 * (`@mlstack/plugin-scaffolder-backend-module-mlops`, configured by the `mlops` keys of
 * `config`), for its dry-run API (`POST /api/scaffolder/v2/dry-run`) and its tasks, and the
 * catalog's Template kind (so that a `file` location may register a template; the catalog rules
 * of `config` must allow kind Template too).
 */
export async function startTrustBackend(
  config: JsonObject,
  options: { scaffolder?: boolean } = {},
) {
  const auditor = recordingAuditor();
  const backend = await startTestBackend({
    features: [
      ...(options.scaffolder
        ? [
            scaffolderPlugin,
            scaffolderModuleMlops,
            catalogModuleScaffolderEntityModel,
          ]
        : []),
      authPlugin,
      authModuleTestUsers,
      catalogPlugin,
      permissionPlugin,
      mlopsPolicyModule,
      mlopsPlugin,
      authServiceFactory,
      httpAuthServiceFactory,
      httpRouterServiceFactory,
      permissionsServiceFactory,
      permissionsRegistryServiceFactory,
      userInfoServiceFactory,
      auditor.factory,
      mockServices.rootConfig.factory({ data: config }),
    ],
  });
  const baseUrl = `http://localhost:${backend.server.port()}`;

  /** A user token, from signing in as the user (its ownership resolved by the catalog). */
  async function signIn(userRef: string): Promise<string> {
    const res = await fetch(`${baseUrl}/api/auth/test-users/refresh`, {
      method: 'POST',
      headers: {
        [TEST_USER_HEADER]: userRef,
        'x-requested-with': 'XMLHttpRequest',
      },
    });
    if (!res.ok) {
      throw new Error(
        `sign-in as ${userRef} failed: ${res.status} ${await res.text()}`,
      );
    }
    const body = await res.json();
    return body.backstageIdentity.token;
  }

  return { backend, baseUrl, signIn, auditEvents: auditor.events };
}
