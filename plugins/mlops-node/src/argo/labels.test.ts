import { labelActor, labelCreator, toLabelValue } from './labels';

describe('toLabelValue', () => {
  it('makes text label-safe as Argo does (dnsFriendly)', () => {
    expect(toLabelValue('user:default/jane.doe')).toBe('user-default-jane.doe');
    expect(toLabelValue('jane@example.com')).toBe('jane-example.com');
    expect(toLabelValue('--x--')).toBe('x');
    expect(toLabelValue(`a${'b'.repeat(70)}`)).toBe('b'.repeat(63));
  });
});

describe('labelCreator / labelActor', () => {
  it('sets the user label and drops what MLStack cannot fill', () => {
    expect(
      labelCreator(
        {
          keep: 'me',
          'workflows.argoproj.io/creator-email': 'old.at.example.com',
          'workflows.argoproj.io/action': 'Stop',
        },
        'user:default/jane',
      ),
    ).toEqual({
      keep: 'me',
      'workflows.argoproj.io/creator': 'user-default-jane',
    });
  });

  it('removes the identity labels when nobody is named, as Argo does without claims', () => {
    expect(
      labelActor(
        {
          'workflows.argoproj.io/actor': 'old',
          'workflows.argoproj.io/action': 'Stop',
        },
        undefined,
        'Retry',
      ),
    ).toEqual({});
    expect(labelActor({}, 'jane', 'Retry')).toEqual({
      'workflows.argoproj.io/actor': 'jane',
      'workflows.argoproj.io/action': 'Retry',
    });
  });
});
