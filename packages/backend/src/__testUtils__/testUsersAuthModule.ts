import { createBackendModule } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  authProvidersExtensionPoint,
  createProxyAuthenticator,
  createProxyAuthProviderFactory,
} from '@backstage/plugin-auth-node';

/** The request header that names the user to sign in as. */
export const TEST_USER_HEADER = 'x-mlstack-test-user';

const testUsersAuthenticator = createProxyAuthenticator({
  defaultProfileTransform: async () => ({ profile: {} }),
  initialize: () => undefined,
  async authenticate({ req }) {
    const user = req.header(TEST_USER_HEADER);
    if (!user) {
      throw new NotAllowedError(`No ${TEST_USER_HEADER} header`);
    }
    return { result: { user } };
  },
});

/**
 * FOR TESTS ONLY, never installed in the portal: an auth provider (`test-users`) that signs in
 * as the user entity named by the `x-mlstack-test-user` header. The sign-in itself is the
 * production one: the user must exist in the catalog, and the token's ownership refs are the
 * user and the groups it is a member of (`signInWithCatalogUser`), as the GitHub resolver does.
 */
export const authModuleTestUsers = createBackendModule({
  pluginId: 'auth',
  moduleId: 'test-users-provider',
  register(reg) {
    reg.registerInit({
      deps: { providers: authProvidersExtensionPoint },
      async init({ providers }) {
        providers.registerProvider({
          providerId: 'test-users',
          factory: createProxyAuthProviderFactory({
            authenticator: testUsersAuthenticator,
            async signInResolver({ result }, ctx) {
              return ctx.signInWithCatalogUser({ entityRef: result.user });
            },
          }),
        });
      },
    });
  },
});
