import { ConfigReader } from '@backstage/config';
import { parseGitRemote, readGitSettings } from './git';

describe('parseGitRemote', () => {
  it('tells local paths, file:// URLs and http(s) remotes apart', () => {
    expect(parseGitRemote('/srv/git/a/../b.git')).toEqual({
      kind: 'local',
      path: '/srv/git/b.git',
      url: '/srv/git/b.git',
    });
    expect(parseGitRemote('file:///srv/git/b.git')).toMatchObject({
      kind: 'local',
      path: '/srv/git/b.git',
    });
    expect(parseGitRemote('http://git.local:3000/ml/b.git')).toEqual({
      kind: 'http',
      url: 'http://git.local:3000/ml/b.git',
    });
  });

  it.each([
    ['ssh://git@host/x.git', 'not ssh:'],
    ['ext::sh -c id', 'not ext:'],
    ['relative/x.git', 'must be an absolute path'],
    ['https://u:p@host/x.git', 'must not carry credentials'],
  ])('refuses %s', (url, message) => {
    expect(() => parseGitRemote(url)).toThrow(message);
  });
});

describe('readGitSettings', () => {
  it('reads absolute roots and refuses relative ones', () => {
    expect(readGitSettings(new ConfigReader({})).allowedRoots).toEqual([]);
    expect(
      readGitSettings(
        new ConfigReader({ mlops: { git: { allowedRoots: ['/srv/git/'] } } }),
      ).allowedRoots,
    ).toEqual(['/srv/git']);
    expect(() =>
      readGitSettings(
        new ConfigReader({ mlops: { git: { allowedRoots: ['git'] } } }),
      ),
    ).toThrow("Invalid config at 'mlops.git.allowedRoots[0]'");
  });

  it('reads defaultRemoteBase without a trailing slash and refuses anything but an http(s) URL without credentials', () => {
    const read = (defaultRemoteBase: string) =>
      readGitSettings(
        new ConfigReader({ mlops: { git: { defaultRemoteBase } } }),
      ).defaultRemoteBase;
    expect(readGitSettings(new ConfigReader({})).defaultRemoteBase).toBe(
      undefined,
    );
    expect(read('http://127.0.0.1:3001/mlstack/')).toBe(
      'http://127.0.0.1:3001/mlstack',
    );
    for (const bad of [
      'git.example.com/mlstack',
      'ssh://git.example.com/mlstack',
      'https://user:pw@git.example.com/mlstack',
      'https://git.example.com/mlstack?x=1',
    ]) {
      expect(() => read(bad)).toThrow(
        "Invalid config at 'mlops.git.defaultRemoteBase'",
      );
    }
  });

  it('reads allowed hosts in lower case and refuses anything but a host name', () => {
    const read = (allowedHosts: string[]) =>
      readGitSettings(new ConfigReader({ mlops: { git: { allowedHosts } } }))
        .allowedHosts;
    expect(readGitSettings(new ConfigReader({})).allowedHosts).toEqual([]);
    expect(read(['Git.Example.com', 'localhost', '127.0.0.1'])).toEqual([
      'git.example.com',
      'localhost',
      '127.0.0.1',
    ]);
    for (const bad of [
      'https://git.example.com',
      'git.example.com:3000',
      'h/x',
      '*.example.com',
    ]) {
      expect(() => read(['ok', bad])).toThrow(
        `Invalid config at 'mlops.git.allowedHosts[1]': '${bad}' must be a host name`,
      );
    }
  });
});
