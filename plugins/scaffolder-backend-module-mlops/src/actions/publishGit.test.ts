import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { closedPort } from '../__testUtils__/closedPort';
import { git } from '../__testUtils__/git';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createPublishGitAction } from './publishGit';

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

  const action = () =>
    createPublishGitAction({
      git: { allowedRoots: [root], allowedHosts: ['127.0.0.1'] },
    });

  it('creates a bare repository in an allowed root and pushes the workspace as its first commit', async () => {
    const remoteUrl = path.join(root, 'team', 'fraud.git');
    const { ctx, outputs } = createActionContext({
      workspacePath: workspace.path,
      input: {
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

  it('is a no-op when the branch already has this content, also without checkpoints', async () => {
    const remoteUrl = `file://${path.join(root, 'fraud.git')}`;
    const first = createActionContext({
      workspacePath: workspace.path,
      input: { remoteUrl, defaultBranch: 'trunk', sourcePath: 'repo' },
    });
    await action().handler(first.ctx);
    const second = createActionContext({
      workspacePath: workspace.path,
      input: { remoteUrl, defaultBranch: 'trunk', sourcePath: 'repo' },
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
    const before = git(['--git-dir', bare, 'rev-parse', 'main']);
    const { ctx } = createActionContext({
      workspacePath: workspace.path,
      input: { remoteUrl: bare },
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

  it('pushes a new branch to an existing empty bare repository', async () => {
    const bare = path.join(root, 'empty.git');
    git(['init', '--quiet', '--bare', '--initial-branch=master', bare]);
    const { ctx, outputs } = createActionContext({
      workspacePath: workspace.path,
      input: { remoteUrl: bare },
    });
    await action().handler(ctx);
    expect(git(['--git-dir', bare, 'rev-parse', 'main'])).toBe(
      outputs.commitHash,
    );
    expect(git(['--git-dir', bare, 'symbolic-ref', 'HEAD'])).toBe(
      'refs/heads/main',
    );
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
        input: { remoteUrl },
      });
      await expect(action().handler(ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    }
    expect(fs.readdirSync(outside)).toEqual([]);
    const none = createActionContext({
      workspacePath: workspace.path,
      input: { remoteUrl: path.join(root, 'x.git') },
    });
    await expect(
      createPublishGitAction({ git: { allowedRoots: [] } }).handler(none.ctx),
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
        input,
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
      input: { remoteUrl },
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
      input: { remoteUrl },
    });
    await action().handler(first.ctx);
    fs.rmSync(remoteUrl, { recursive: true });
    const retry = createActionContext({
      workspacePath: workspace.path,
      input: { remoteUrl },
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
        input: { remoteUrl },
      });
      await expect(
        createPublishGitAction({
          git: { allowedRoots: [root], allowedHosts },
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
      input: { remoteUrl },
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
