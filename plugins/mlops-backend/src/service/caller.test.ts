import { mockCredentials } from '@backstage/backend-test-utils';
import { callerKey, callerName } from './caller';

describe('the caller', () => {
  it('names a user by entity ref and a service by subject', () => {
    expect(callerName(mockCredentials.user('user:default/ada'))).toBe(
      'user:default/ada',
    );
    expect(callerName(mockCredentials.service('plugin:scaffolder'))).toBe(
      "service 'plugin:scaffolder'",
    );
  });

  it('keys users and services apart, each by its own identity', () => {
    const ada = callerKey(mockCredentials.user('user:default/ada'));
    expect(ada).toBe('user:user:default/ada');
    expect(callerKey(mockCredentials.user('user:default/bob'))).not.toBe(ada);
    expect(callerKey(mockCredentials.service('plugin:scaffolder'))).toBe(
      'service:plugin:scaffolder',
    );
    expect(callerKey(mockCredentials.none())).toBe('none:');
  });
});
