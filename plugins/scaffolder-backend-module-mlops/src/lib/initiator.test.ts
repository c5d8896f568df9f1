import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { testInitiator } from '../__testUtils__/initiator';
import { requireInitiatorOwns } from './initiator';

function context(
  credentials: BackstageCredentials = mockCredentials.user(
    'user:default/alice',
  ),
) {
  return {
    getInitiatorCredentials: async () => credentials,
    logger: mockServices.logger.mock(),
  };
}

describe('requireInitiatorOwns', () => {
  it('accepts the owner itself and members of the owner group, comparing canonical refs', async () => {
    const policy = testInitiator({ memberOf: ['Group:default/ML-Team'] });
    await expect(
      requireInitiatorOwns(context(), policy, 'group:default/ml-team', 'x'),
    ).resolves.toBeUndefined();
    await expect(
      requireInitiatorOwns(context(), policy, 'user:default/alice', 'x'),
    ).resolves.toBeUndefined();
    // refs without namespace or kind in the token are read as the catalog reads them
    const short = testInitiator({ memberOf: ['ml-team'] });
    await expect(
      requireInitiatorOwns(context(), short, 'group:default/ml-team', 'x'),
    ).resolves.toBeUndefined();
  });

  it('refuses a user of other groups, naming the user, the owner and the claim', async () => {
    const policy = testInitiator({ memberOf: ['group:default/ml-team-2'] });
    await expect(
      requireInitiatorOwns(
        context(mockCredentials.user('user:default/Bob')),
        policy,
        'group:default/ml-team',
        "claim S3 bucket 'b'",
      ),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message:
        "User user:default/bob is not group:default/ml-team nor a member of it, so this task may not claim S3 bucket 'b' for group:default/ml-team; pick an owner you belong to",
    });
  });

  it('refuses services and anonymous tasks unless allowed, and logs when allowed', async () => {
    for (const credentials of [
      mockCredentials.service('external:ci'),
      mockCredentials.none(),
    ]) {
      await expect(
        requireInitiatorOwns(
          context(credentials),
          testInitiator(),
          'group:default/ml-team',
          'x',
        ),
      ).rejects.toMatchObject({ name: 'NotAllowedError' });
      const ctx = context(credentials);
      await requireInitiatorOwns(
        ctx,
        testInitiator({ allowServiceInitiators: true }),
        'group:default/ml-team',
        'x',
      );
      expect(ctx.logger.info).toHaveBeenCalledWith(
        expect.stringContaining('mlops.scaffolder.allowServiceInitiators'),
      );
    }
  });
});
