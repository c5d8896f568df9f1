import type {
  BackstageCredentials,
  BackstageUserPrincipal,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import type { InitiatorPolicy } from '../lib/initiator';

/** The groups the test user (`mockCredentials.user()`, user:default/mock) is a member of. */
export const TEST_USER_GROUPS = [
  'group:default/ml-team',
  'group:default/other-team',
];

/**
 * The initiator policy with a userInfo service that answers, for any user, the user itself
 * and `memberOf` as its ownership refs (what the sign-in puts in a user's token).
 */
export function testInitiator(
  options: { memberOf?: string[]; allowServiceInitiators?: boolean } = {},
): InitiatorPolicy & { userInfo: jest.Mocked<UserInfoService> } {
  const memberOf = options.memberOf ?? TEST_USER_GROUPS;
  return {
    allowServiceInitiators: options.allowServiceInitiators ?? false,
    userInfo: {
      getUserInfo: jest.fn(async (credentials: BackstageCredentials) => {
        const { userEntityRef } = (
          credentials as BackstageCredentials<BackstageUserPrincipal>
        ).principal;
        return {
          userEntityRef,
          ownershipEntityRefs: [userEntityRef, ...memberOf],
        };
      }),
    },
  };
}
