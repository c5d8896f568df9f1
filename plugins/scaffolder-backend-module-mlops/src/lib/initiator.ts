import type {
  BackstageCredentials,
  BackstagePrincipalTypes,
  LoggerService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { canonicalOwnerRef } from '@mlstack/plugin-mlops-common';
import { SCAFFOLDER_CONFIG_KEY } from './settings';

/** What the actions need to check who started the task. */
export interface InitiatorPolicy {
  /** `coreServices.userInfo`: the user's ownership refs (the user and its groups). */
  userInfo: UserInfoService;
  /** `mlops.scaffolder.allowServiceInitiators`. */
  allowServiceInitiators: boolean;
}

/** The parts of an action context the check reads. */
export interface InitiatorContext {
  getInitiatorCredentials(): Promise<BackstageCredentials>;
  logger: LoggerService;
}

function isPrincipal<T extends keyof BackstagePrincipalTypes>(
  credentials: BackstageCredentials,
  type: T,
): credentials is BackstageCredentials<BackstagePrincipalTypes[T]> {
  return (
    (credentials.principal as { type?: string } | undefined)?.type === type
  );
}

/**
 * Refuses (NotAllowedError) unless the task's user is `owner` or a member of it, so that a
 * template run by one user cannot claim a bucket, an experiment or a namespace for another
 * team. `owner` is a full lower-case entity ref; the user's ownership refs (from the sign-in:
 * the user entity and the groups it is a member of) are compared in the same form. A task
 * started by a service (no user) is refused unless `allowServiceInitiators`. `what` names the
 * claim for messages, e.g. `claim S3 bucket 'fraud'`.
 */
export async function requireInitiatorOwns(
  ctx: InitiatorContext,
  policy: InitiatorPolicy,
  owner: string,
  what: string,
): Promise<void> {
  const credentials = await ctx.getInitiatorCredentials();
  if (isPrincipal(credentials, 'user')) {
    const info = await policy.userInfo.getUserInfo(credentials);
    const refs = new Set(
      info.ownershipEntityRefs
        .map(ref => canonicalOwnerRef(ref))
        .filter((ref): ref is string => ref !== undefined),
    );
    const user = info.userEntityRef.toLocaleLowerCase('en-US');
    refs.add(user);
    if (!refs.has(owner)) {
      throw new NotAllowedError(
        `User ${user} is not ${owner} nor a member of it, so this task may not ${what} for ${owner}; ` +
          'pick an owner you belong to',
      );
    }
    return;
  }
  const who = isPrincipal(credentials, 'service')
    ? `by service '${credentials.principal.subject}', not by a user`
    : 'without a user (anonymous credentials)';
  if (!policy.allowServiceInitiators) {
    throw new NotAllowedError(
      `This task was started ${who}, so it may not ${what} for ${owner}: ` +
        `only a user who is ${owner} or a member of it may (set ${SCAFFOLDER_CONFIG_KEY}.allowServiceInitiators: true to let services do it)`,
    );
  }
  ctx.logger.info(
    `This task was started ${who}; ${SCAFFOLDER_CONFIG_KEY}.allowServiceInitiators lets it ${what} for ${owner}`,
  );
}
