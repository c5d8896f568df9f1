import { ConfigReader } from '@backstage/config';
import { globToRegExp, readScaffolderSettings } from './settings';

const read = (scaffolder: object) =>
  readScaffolderSettings(new ConfigReader({ mlops: { scaffolder } }));

describe('mlops.scaffolder', () => {
  it('defaults to nothing allowed', () => {
    expect(readScaffolderSettings(new ConfigReader({}))).toEqual({
      allowServiceInitiators: false,
      kubernetesApply: {
        namespaces: undefined,
        secretTypes: [],
        serviceAccounts: [],
      },
    });
  });

  it('reads namespace rules, secret types, service accounts and allowServiceInitiators', () => {
    const settings = read({
      allowServiceInitiators: true,
      kubernetesApply: {
        namespaces: [
          { cluster: 'harness', patterns: ['ml-*', 'team-*'] },
          { patterns: ['sandbox'] },
        ],
        secretTypes: ['kubernetes.io/tls'],
        serviceAccounts: ['default'],
      },
    });
    expect(settings.allowServiceInitiators).toBe(true);
    expect(settings.kubernetesApply.namespaces).toEqual([
      {
        cluster: 'harness',
        patterns: ['ml-*', 'team-*'],
        matchers: [/^ml-.*$/, /^team-.*$/],
      },
      { patterns: ['sandbox'], matchers: [/^sandbox$/] },
    ]);
    expect(settings.kubernetesApply.secretTypes).toEqual(['kubernetes.io/tls']);
    expect(settings.kubernetesApply.serviceAccounts).toEqual(['default']);
  });

  it('matches globs whole, with * as the only wildcard', () => {
    expect(globToRegExp('ml-*').test('ml-fraud')).toBe(true);
    expect(globToRegExp('ml-*').test('xml-fraud')).toBe(false);
    expect(globToRegExp('*-dev').test('fraud-dev')).toBe(true);
    expect(globToRegExp('*-dev').test('fraud-dev-2')).toBe(false);
    expect(globToRegExp('team-*-ml').test('team-a-ml')).toBe(true);
    expect(globToRegExp('exact').test('exact')).toBe(true);
    expect(globToRegExp('exact').test('exactly')).toBe(false);
  });

  it('refuses bad values, naming the key', () => {
    const key = 'mlops.scaffolder.kubernetesApply';
    expect(() =>
      read({ kubernetesApply: { namespaces: [{ patterns: ['ML_*'] }] } }),
    ).toThrow(
      `Invalid config at '${key}.namespaces[0].patterns[0]': 'ML_*' is not a namespace pattern`,
    );
    expect(() =>
      read({ kubernetesApply: { namespaces: [{ patterns: ['ml-.+'] }] } }),
    ).toThrow(`'${key}.namespaces[0].patterns[0]'`);
    expect(() =>
      read({ kubernetesApply: { namespaces: [{ patterns: [] }] } }),
    ).toThrow(`Invalid config at '${key}.namespaces[0].patterns'`);
    expect(() =>
      read({
        kubernetesApply: {
          namespaces: [{ cluster: 'a b', patterns: ['x'] }],
        },
      }),
    ).toThrow(`Invalid config at '${key}.namespaces[0].cluster'`);
    expect(() =>
      read({ kubernetesApply: { secretTypes: ['Opaque', 'bad type'] } }),
    ).toThrow(`Invalid config at '${key}.secretTypes[1]'`);
    expect(() =>
      read({ kubernetesApply: { serviceAccounts: ['Default'] } }),
    ).toThrow(`Invalid config at '${key}.serviceAccounts[0]'`);
  });
});
