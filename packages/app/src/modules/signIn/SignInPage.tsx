import {
  SignInPage,
  type IdentityProviders,
  type SignInProviderConfig,
} from '@backstage/core-components';
import {
  configApiRef,
  githubAuthApiRef,
  useApi,
} from '@backstage/core-plugin-api';
import type { SignInPageProps } from '@backstage/plugin-app-react';

/** GitHub sign-in: `auth.providers.github` in the backend's config. */
export const githubProvider: SignInProviderConfig = {
  id: 'github-auth-provider',
  title: 'GitHub',
  message: 'Sign in with your GitHub account',
  apiRef: githubAuthApiRef,
};

/**
 * The sign-in methods for an `auth.environment`: GitHub always, and guest only in
 * `development` (app-config.yaml). A missing or any other environment gets no guest button:
 * production (app-config.production.yaml) has no guest provider.
 */
export function signInProviders(
  environment: string | undefined,
): IdentityProviders {
  return environment === 'development'
    ? ['guest', githubProvider]
    : [githubProvider];
}

export function MlstackSignInPage(props: SignInPageProps) {
  const configApi = useApi(configApiRef);
  return (
    <SignInPage
      {...props}
      title="Sign in to MLStack"
      align="center"
      providers={signInProviders(
        configApi.getOptionalString('auth.environment'),
      )}
    />
  );
}
