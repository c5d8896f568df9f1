import {
  createMockDirectory,
  mockCredentials,
} from '@backstage/backend-test-utils';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { closedPort } from '../__testUtils__/closedPort';
import { git } from '../__testUtils__/git';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createPublishGitAction } from './publishGit';

const OWNER = 'group:default/ml-team';

describe('mlops:publish:git', () => {
  let root: string;
  let outside: string;
  const workspace = createMockDirectory();

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'git-root-'));
    outside = fs.mkdtempSync(path.join(os.tmpdir(), 'git-outside-'));
    workspace.setContent({
      'README.md': '# fraud detector\n',
      'catalog-info.yaml': 'kind: Component\n',
      '.gitignore': 'secret.txt\n',
      'secret.txt': 'not published',
      'repo/train.py': 'print(1)\n',
    });
  });
  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
    fs.rmSync(outside, { recursive: true, force: true });
  });

  const action = (initiator = testInitiator()) =>
    createPublishGitAction({
      git: { allowedRoots: [root], allowedHosts: ['127.0.0.1'] },
      initiator,
    });

  it('creates a bare repository in an allowed root and pushes the workspace as its first commit', async () => {
    const remoteUrl = path.join(root, 'team', 'fraud.git');
    const { ctx, outputs } = createActionContext({
      workspacePath: workspace.path,
      input: {
        owner: OWNER,
        remoteUrl,
        commitMessage: 'Created by the template',
        gitAuthorName: 'ML Bot',
        gitAuthorEmail: 'bot@example.com',
      },
    });
    await action().handler(ctx);
    const head = git(['--git-dir', remoteUrl, 'rev-parse', 'refs/heads/main']);
    expect(outputs).toEqual({
      remoteUrl,
      repoContentsUrl: `file://${remoteUrl}`,
      commitHash: head,
    });
    expect(git(['--git-dir', remoteUrl, 'symbolic-ref', 'HEAD'])).toBe(
      'refs/heads/main',
    );
    expect(
      git([
        '--git-dir',
        remoteUrl,
        'ls-tree',
        '-r',
        '--name-only',
        'main',
      ]).split('\n'),
    ).toEqual([
      '.gitignore',
      'README.md',
      'catalog-info.yaml',
      'repo/train.py',
    ]);
    expect(
      git(['--git-dir', remoteUrl, 'log', '--format=%an <%ae> %s', 'main']),
    ).toBe('ML Bot <bot@example.com> Created by the template');
  });

  it('says that a bare repository is not registered in the catalog', async () => {
    const remoteUrl = path.join(root, 'unregistered.git');
    const { ctx, outputs, logLines } = createActionContext({
      workspacePath: workspace.path,
      input: { owner: OWNER, remoteUrl },
    });
    await action().handler(ctx);
    expect(outputs.repoContentsUrl).toBe(`file://${remoteUrl}`);
    expect(outputs).not.toHaveProperty('catalogInfoUrl');
    expect(logLines().join('\n')).toContain(
      `${remoteUrl} is a bare repository on the backend's disk: it is not registered in the catalog`,
    );
  });

  it('is a no-op when the branch already has this content, also without checkpoints', async () => {
    const remoteUrl = `file://${path.join(root, 'fraud.git')}`;
    const first = createActionContext({
      workspacePath: workspace.path,
      input: {
        owner: OWNER,
        remoteUrl,
        defaultBranch: 'trunk',
        sourcePath: 'repo',
      },
    });
    await action().handler(first.ctx);
    const second = createActionContext({
      workspacePath: workspace.path,
      input: {
        owner: OWNER,
        remoteUrl,
        defaultBranch: 'trunk',
        sourcePath: 'repo',
      },
    });
    await action().handler(second.ctx);
    expect(second.outputs.commitHash).toBe(first.outputs.commitHash);
    const bare = path.join(root, 'fraud.git');
    expect(git(['--git-dir', bare, 'rev-list', '--count', 'trunk'])).toBe('1');
    expect(git(['--git-dir', bare, 'ls-tree', '--name-only', 'trunk'])).toBe(
      'train.py',
    );
    expect(second.logLines().join('\n')).toContain('already has this content');
  });

  it('refuses a branch with unrelated history', async () => {
    const bare = path.join(root, 'taken.git');
    git(['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    const clone = path.join(outside, 'clone');
    git(['clone', '--quiet', bare, clone]);
    fs.writeFileSync(path.join(clone, 'other.txt'), 'other');
    git(['add', '.'], clone);
    git(['commit', '--quiet', '-m', 'unrelated'], clone);
    git(['push', '--quiet', 'origin', 'HEAD:refs/heads/main'], clone);
    git(['--git-dir', bare, 'config', 'mlstack.owner', OWNER]);
    const before = git(['--git-dir', bare, 'rev-parse', 'main']);
    const { ctx } = createActionContext({
      workspacePath: workspace.path,
      input: { owner: OWNER, remoteUrl: bare },
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toContain(
      `Branch 'main' of ${bare} already has a history (${before.slice(
        0,
        12,
      )}) that does not contain the content being published`,
    );
    expect(git(['--git-dir', bare, 'rev-parse', 'main'])).toBe(before);
  });

  it('pushes a new branch to an existing empty bare repository, points HEAD at it and claims it', async () => {
    const bare = path.join(root, 'empty.git');
    git(['init', '--quiet', '--bare', '--initial-branch=master', bare]);
    const { ctx, outputs } = createActionContext({
      workspacePath: workspace.path,
      input: { owner: 'group:ML-Team', remoteUrl: bare },
    });
    await action().handler(ctx);
    expect(git(['--git-dir', bare, 'rev-parse', 'main'])).toBe(
      outputs.commitHash,
    );
    expect(git(['--git-dir', bare, 'symbolic-ref', 'HEAD'])).toBe(
      'refs/heads/main',
    );
    expect(git(['--git-dir', bare, 'config', 'mlstack.owner'])).toBe(OWNER);
  });

  describe("an existing repository that is not the owner's", () => {
    /** A bare repository with a branch `master` (HEAD), and `owner` recorded if given. */
    function existing(name: string, owner?: string, withBranch = true) {
      const bare = path.join(root, name);
      git(['init', '--quiet', '--bare', '--initial-branch=master', bare]);
      if (withBranch) {
        const clone = path.join(outside, `clone-${name}`);
        git(['clone', '--quiet', bare, clone]);
        fs.writeFileSync(path.join(clone, 'theirs.txt'), 'theirs');
        git(['add', '.'], clone);
        git(['commit', '--quiet', '-m', 'theirs'], clone);
        git(['push', '--quiet', 'origin', 'HEAD:refs/heads/master'], clone);
      }
      if (owner) {
        git(['--git-dir', bare, 'config', 'mlstack.owner', owner]);
      }
      return bare;
    }
    const refsOf = (bare: string) =>
      git(['--git-dir', bare, 'for-each-ref', '--format=%(refname)']);

    it.each([
      [
        'with branches and no recorded owner',
        undefined,
        true,
        'already has branches and records no owner (git config mlstack.owner), so it was not made for group:default/ml-team; pick another remoteUrl, or adopt it with `git --git-dir',
      ],
      [
        'of another owner',
        'group:default/team-b',
        true,
        'belongs to group:default/team-b (git config mlstack.owner), not to group:default/ml-team; pick another remoteUrl',
      ],
      [
        'empty, of another owner',
        'group:default/team-b',
        false,
        'belongs to group:default/team-b (git config mlstack.owner), not to group:default/ml-team',
      ],
    ] as const)(
      'refuses one %s, naming it and both owners, pushing nothing and keeping its HEAD, also in a dry run',
      async (_what, owner, withBranch, message) => {
        const bare = existing('theirs.git', owner, withBranch);
        const before = refsOf(bare);
        for (const isDryRun of [true, false]) {
          const { ctx } = createActionContext({
            workspacePath: workspace.path,
            input: { owner: OWNER, remoteUrl: bare },
            isDryRun,
          });
          await expect(action().handler(ctx)).rejects.toMatchObject({
            name: 'NotAllowedError',
            message: expect.stringContaining(
              `Git repository '${bare}' ${message}`,
            ),
          });
        }
        expect(refsOf(bare)).toBe(before);
        expect(git(['--git-dir', bare, 'symbolic-ref', 'HEAD'])).toBe(
          'refs/heads/master',
        );
        const recorded = owner ?? '';
        expect(
          (() => {
            try {
              return git(['--git-dir', bare, 'config', 'mlstack.owner']);
            } catch {
              return '';
            }
          })(),
        ).toBe(recorded);
      },
    );

    it("adds a new branch to the owner's own repository but leaves its HEAD", async () => {
      const bare = existing('ours.git', 'Group:default/ML-Team');
      const { ctx, outputs } = createActionContext({
        workspacePath: workspace.path,
        input: { owner: OWNER, remoteUrl: bare },
      });
      await action().handler(ctx);
      expect(git(['--git-dir', bare, 'rev-parse', 'main'])).toBe(
        outputs.commitHash,
      );
      expect(git(['--git-dir', bare, 'symbolic-ref', 'HEAD'])).toBe(
        'refs/heads/master',
      );
    });
  });

  it('records the owner in a repository it creates; needs an owner for a local remote', async () => {
    const remoteUrl = path.join(root, 'new.git');
    const { ctx } = createActionContext({
      workspacePath: workspace.path,
      input: { owner: 'ml-team', remoteUrl },
    });
    await action().handler(ctx);
    expect(git(['--git-dir', remoteUrl, 'config', 'mlstack.owner'])).toBe(
      OWNER,
    );
    // nothing else left beside it (it is made aside and renamed into place)
    expect(fs.readdirSync(root)).toEqual(['new.git']);

    const without = createActionContext({
      workspacePath: workspace.path,
      input: { remoteUrl: path.join(root, 'other.git') },
    });
    await expect(action().handler(without.ctx)).rejects.toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        `owner is required for the local remote '${path.join(
          root,
          'other.git',
        )}'`,
      ),
    });
    expect(fs.readdirSync(root)).toEqual(['new.git']);
  });

  it('refuses a repository another owner creates between the check and the create, leaving it as it is', async () => {
    const remoteUrl = path.join(root, 'raced.git');
    const realRename = fsp.rename;
    const spy = jest
      .spyOn(fsp, 'rename')
      .mockImplementationOnce(async (from, to) => {
        // another task's repository appears first
        git(['init', '--quiet', '--bare', '--initial-branch=dev', remoteUrl]);
        git([
          '--git-dir',
          remoteUrl,
          'config',
          'mlstack.owner',
          'group:default/team-b',
        ]);
        return realRename(from, to);
      });
    try {
      const { ctx } = createActionContext({
        workspacePath: workspace.path,
        input: { owner: OWNER, remoteUrl },
      });
      await expect(action().handler(ctx)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `Git repository '${remoteUrl}' belongs to group:default/team-b (git config mlstack.owner), not to ${OWNER}`,
        ),
      });
    } finally {
      spy.mockRestore();
    }
    expect(git(['--git-dir', remoteUrl, 'for-each-ref'])).toBe('');
    expect(git(['--git-dir', remoteUrl, 'symbolic-ref', 'HEAD'])).toBe(
      'refs/heads/dev',
    );
    expect(fs.readdirSync(root)).toEqual(['raced.git']);
  });

  it('refuses a user who is not the owner or a member of it, before touching the remote, also in a dry run', async () => {
    const strangers = action(
      testInitiator({ memberOf: ['group:default/other-team'] }),
    );
    for (const isDryRun of [false, true]) {
      const { ctx } = createActionContext({
        workspacePath: workspace.path,
        input: { owner: OWNER, remoteUrl: path.join(root, 'fraud.git') },
        credentials: mockCredentials.user('user:default/bob'),
        isDryRun,
      });
      await expect(strangers.handler(ctx)).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(
          `User user:default/bob is not ${OWNER} nor a member of it, so this task may not publish to Git repository '${path.join(
            root,
            'fraud.git',
          )}' for ${OWNER}`,
        ),
      });
    }
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('never writes outside the allowed roots', async () => {
    fs.symlinkSync(outside, path.join(root, 'link'));
    fs.mkdirSync(path.join(root, 'plain-dir'));
    fs.writeFileSync(path.join(root, 'plain-dir', 'file'), 'x');
    const cases: Array<[string, string]> = [
      [
        path.join(outside, 'x.git'),
        'is not inside an allowed directory for local repositories',
      ],
      [
        path.join(root, '..', path.basename(outside), 'x.git'),
        'is not inside an allowed directory',
      ],
      [path.join(root, 'link', 'x.git'), 'is not inside an allowed directory'],
      [root, 'is not inside an allowed directory'],
      [path.join(root, 'plain-dir'), 'exists but is not a bare Git repository'],
    ];
    for (const [remoteUrl, message] of cases) {
      const { ctx } = createActionContext({
        workspacePath: workspace.path,
        input: { owner: OWNER, remoteUrl },
      });
      await expect(action().handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    }
    expect(fs.readdirSync(outside)).toEqual([]);
    const none = createActionContext({
      workspacePath: workspace.path,
      input: { owner: OWNER, remoteUrl: path.join(root, 'x.git') },
    });
    await expect(
      createPublishGitAction({
        git: { allowedRoots: [] },
        initiator: testInitiator(),
      }).handler(none.ctx),
    ).rejects.toThrow("no 'mlops.git.allowedRoots' are configured");
  });

  it('rejects other transports, credentials in the URL, a bad branch and a missing source directory', async () => {
    const cases: Array<[Record<string, unknown>, string]> = [
      [{ remoteUrl: 'ssh://git@example.com/x.git' }, 'not ssh:'],
      [
        { remoteUrl: 'git@example.com:x.git' },
        "remoteUrl 'git@example.com:x.git'",
      ],
      [
        { remoteUrl: 'ext::sh -c touch% /tmp/pwned' },
        'only local paths, file:// and http(s) remotes are supported, not ext:',
      ],
      [
        { remoteUrl: 'https://user:token@git.example.com/x.git' },
        'must not carry credentials',
      ],
      [
        { remoteUrl: path.join(root, 'x.git'), defaultBranch: 'bad..branch' },
        "defaultBranch 'bad..branch' is not a valid branch name",
      ],
      [
        { remoteUrl: path.join(root, 'x.git'), sourcePath: 'missing' },
        "sourcePath 'missing' is not a directory of the workspace",
      ],
    ];
    for (const [input, message] of cases) {
      const { ctx } = createActionContext({
        workspacePath: workspace.path,
        input: { owner: OWNER, ...input },
      });
      await expect(action().handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    }
    expect(fs.readdirSync(root)).toEqual([]);
  });

  it('dry run: computes the commit but creates and pushes nothing', async () => {
    const remoteUrl = path.join(root, 'fraud.git');
    const { ctx, outputs } = createActionContext({
      workspacePath: workspace.path,
      input: { owner: OWNER, remoteUrl },
      isDryRun: true,
    });
    await action().handler(ctx);
    expect(outputs.commitHash).toMatch(/^[0-9a-f]{40}$/);
    expect(outputs.remoteUrl).toBe(remoteUrl);
    expect(fs.existsSync(remoteUrl)).toBe(false);
  });

  it('does not push again on a retried task (checkpoint)', async () => {
    const remoteUrl = path.join(root, 'fraud.git');
    const first = createActionContext({
      workspacePath: workspace.path,
      input: { owner: OWNER, remoteUrl },
    });
    await action().handler(first.ctx);
    fs.rmSync(remoteUrl, { recursive: true });
    const retry = createActionContext({
      workspacePath: workspace.path,
      input: { owner: OWNER, remoteUrl },
      checkpoints: first.checkpoints,
    });
    await action().handler(retry.ctx);
    expect(retry.outputs.commitHash).toBe(first.outputs.commitHash);
    expect(fs.existsSync(remoteUrl)).toBe(false);
  });

  it('refuses an http(s) remote whose host is not in mlops.git.allowedHosts, before contacting it', async () => {
    const cases: Array<[string, string[] | undefined, string]> = [
      [
        'https://evil.example.com/x.git',
        ['127.0.0.1', 'git.example.com'],
        "remoteUrl 'https://evil.example.com/x.git': host 'evil.example.com' is not an allowed Git host (mlops.git.allowedHosts: 127.0.0.1, git.example.com)",
      ],
      // a subdomain or a look-alike is another host
      [
        'https://git.example.com.evil.io/x.git',
        ['git.example.com'],
        "host 'git.example.com.evil.io' is not an allowed Git host",
      ],
      [
        'http://localhost:3001/ml/x.git',
        undefined,
        "host 'localhost' is not an allowed Git host (mlops.git.allowedHosts: none configured)",
      ],
    ];
    for (const [remoteUrl, allowedHosts, message] of cases) {
      const { ctx } = createActionContext({
        workspacePath: workspace.path,
        input: { owner: OWNER, remoteUrl },
      });
      await expect(
        createPublishGitAction({
          git: { allowedRoots: [root], allowedHosts },
          initiator: testInitiator(),
        }).handler(ctx),
      ).rejects.toMatchObject({
        name: 'NotAllowedError',
        message: expect.stringContaining(message),
      });
    }
  });

  it('names the remote when an http Git server cannot be reached', async () => {
    const remoteUrl = `http://127.0.0.1:${await closedPort()}/git/fraud.git`;
    const { ctx } = createActionContext({
      workspacePath: workspace.path,
      input: { owner: OWNER, remoteUrl },
    });
    const error = await action()
      .handler(ctx)
      .catch(e => e);
    expect(error.name).toBe('ServiceUnavailableError');
    expect(error.message).toMatch(
      new RegExp(
        `^Git remote ${remoteUrl.replace(
          /[.]/g,
          '\\.',
        )}: .*(Connection refused|Failed to connect)`,
      ),
    );
  });
});
