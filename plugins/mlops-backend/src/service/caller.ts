import type { BackstageCredentials } from '@backstage/backend-plugin-api';

type Principal = { type: string; userEntityRef?: string; subject?: string };

/** Who a caller is, as messages and audit records name it. */
export function callerName(credentials: BackstageCredentials): string {
  const principal = credentials.principal as Principal;
  if (principal.type === 'user') {
    return principal.userEntityRef ?? 'an unknown user';
  }
  return `service '${principal.subject ?? 'unknown'}'`;
}

/**
 * The caller as a key (principal type and identity): two callers share a key only when they
 * are the same user or the same service, so what one may see is never served to the other.
 */
export function callerKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as Principal;
  return `${principal.type}:${
    principal.userEntityRef ?? principal.subject ?? ''
  }`;
}
