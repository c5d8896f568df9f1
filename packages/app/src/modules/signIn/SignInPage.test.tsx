import { renderInTestApp } from '@backstage/frontend-test-utils';
import { screen } from '@testing-library/react';
import { Suspense } from 'react';
import {
  MlstackSignInPage,
  githubProvider,
  signInProviders,
} from './SignInPage';

describe('signInProviders', () => {
  it('offers guest and GitHub in development', () => {
    expect(signInProviders('development')).toEqual(['guest', githubProvider]);
  });

  it.each([['production'], ['staging'], [undefined]])(
    'offers only GitHub when auth.environment is %p',
    environment => {
      expect(signInProviders(environment)).toEqual([githubProvider]);
    },
  );
});

describe('MlstackSignInPage', () => {
  const render = (environment: string) =>
    renderInTestApp(
      // The page's parts load lazily: suspend here, not at the test app's root.
      <Suspense fallback={null}>
        <MlstackSignInPage onSignInSuccess={jest.fn()} />
      </Suspense>,
      {
        config: {
          app: { title: 'MLStack' },
          backend: { baseUrl: 'http://localhost:7007' },
          auth: { environment },
        },
      },
    );

  it('shows the guest button next to GitHub in development', async () => {
    await render('development');
    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(screen.getByText('Guest')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Enter' })).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeInTheDocument();
  });

  it('shows no guest button in production', async () => {
    await render('production');
    expect(await screen.findByText('GitHub')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign In' })).toBeInTheDocument();
    expect(screen.queryByText('Guest')).not.toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: 'Enter' }),
    ).not.toBeInTheDocument();
  });
});
