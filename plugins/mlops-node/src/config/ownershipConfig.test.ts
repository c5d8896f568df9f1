import { ConfigReader } from '@backstage/config';
import {
  NamespaceOwnershipConfig,
  readNamespaceOwnership,
} from './ownershipConfig';

const read = (namespaces: Array<Record<string, string | string[]>>) =>
  readNamespaceOwnership(
    new ConfigReader({ mlops: { ownership: { namespaces } } }),
  );

describe('mlops.ownership.namespaces', () => {
  it('reads entries with canonical owners; absent config lists nothing', () => {
    expect(
      read([
        { owner: 'ML-Team', namespaces: ['fraud-detection'] },
        {
          owner: 'user:default/Alice',
          cluster: 'harness',
          namespaces: ['alice', 'fraud-detection-dev'],
        },
      ]),
    ).toEqual([
      { owner: 'group:default/ml-team', namespaces: ['fraud-detection'] },
      {
        owner: 'user:default/alice',
        cluster: 'harness',
        namespaces: ['alice', 'fraud-detection-dev'],
      },
    ]);
    expect(readNamespaceOwnership(new ConfigReader({}))).toEqual([]);
    expect(
      NamespaceOwnershipConfig.fromConfig(new ConfigReader({})).ownerOf(
        'default',
        'x',
      ),
    ).toBeUndefined();
  });

  it('answers the owner of a namespace per cluster; an entry without cluster covers every cluster', () => {
    const ownership = NamespaceOwnershipConfig.fromConfig(
      new ConfigReader({
        mlops: {
          ownership: {
            namespaces: [
              { owner: 'group:default/ml-team', namespaces: ['shared'] },
              {
                owner: 'group:default/a',
                cluster: 'one',
                namespaces: ['team'],
              },
              {
                owner: 'group:default/b',
                cluster: 'two',
                namespaces: ['team'],
              },
            ],
          },
        },
      }),
    );
    expect(ownership.ownerOf('one', 'shared')).toBe('group:default/ml-team');
    expect(ownership.ownerOf('any', 'shared')).toBe('group:default/ml-team');
    expect(ownership.ownerOf('one', 'team')).toBe('group:default/a');
    expect(ownership.ownerOf('two', 'team')).toBe('group:default/b');
    expect(ownership.ownerOf('three', 'team')).toBeUndefined();
    expect(ownership.ownerOf('one', 'other')).toBeUndefined();
  });

  it('refuses bad entries, naming the key', () => {
    expect(() => read([{ owner: 'a:b:c', namespaces: ['x'] }])).toThrow(
      "Invalid config at 'mlops.ownership.namespaces[0].owner': 'a:b:c' is not an entity ref",
    );
    expect(() => read([{ owner: 'ml-team', namespaces: ['Bad_NS'] }])).toThrow(
      "Invalid config at 'mlops.ownership.namespaces[0].namespaces[0]': 'Bad_NS' is not a Kubernetes namespace name",
    );
    expect(() => read([{ owner: 'ml-team', namespaces: [] }])).toThrow(
      "Invalid config at 'mlops.ownership.namespaces[0].namespaces': list at least one namespace",
    );
    expect(() =>
      read([{ owner: 'ml-team', cluster: 'no space', namespaces: ['x'] }]),
    ).toThrow("Invalid config at 'mlops.ownership.namespaces[0].cluster'");
    expect(() => read([{ namespaces: ['x'] }])).toThrow(
      "Missing required config value at 'mlops.ownership.namespaces[0].owner'",
    );
  });

  it('refuses a namespace listed for two owners on overlapping clusters', () => {
    expect(() =>
      read([
        { owner: 'group:default/a', namespaces: ['team'] },
        { owner: 'group:default/b', cluster: 'one', namespaces: ['team'] },
      ]),
    ).toThrow(
      "Invalid config at 'mlops.ownership.namespaces[1].namespaces[0]': namespace 'team' is already listed for group:default/a by mlops.ownership.namespaces[0]",
    );
    // the same owner twice, or two owners on different clusters, is fine
    expect(
      read([
        { owner: 'group:default/a', namespaces: ['team'] },
        { owner: 'Group:default/A', cluster: 'one', namespaces: ['team'] },
        { owner: 'group:default/b', cluster: 'x', namespaces: ['other'] },
        { owner: 'group:default/c', cluster: 'y', namespaces: ['other'] },
      ]),
    ).toHaveLength(4);
  });
});
