/**
 * Against a real Git smart-HTTP server: git's own `git http-backend` (CGI) behind a small
 * Node server (__testUtils__/gitHttpServer), serving bare repositories of a temporary directory.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { closedPort } from '../__testUtils__/closedPort';
import { git } from '../__testUtils__/git';
import { gitHttpServer } from '../__testUtils__/gitHttpServer';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { testInitiator } from '../__testUtils__/initiator';
import { createPublishGitAction } from './publishGit';

describe('mlops:publish:git against a Git HTTP server', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'git-http-'));
  const server = gitHttpServer(root);
  let base: string;
  const workspace = createMockDirectory({
    content: { 'README.md': '# fraud\n', 'src/train.py': 'print(1)\n' },
  });
  const action = createPublishGitAction({
    git: { allowedRoots: [], allowedHosts: ['127.0.0.1'] },
    initiator: testInitiator(),
  });
  // An allowed host that answers every request with a redirect to the real server
  let redirectTo = '';
  const redirector = http.createServer((request, response) => {
    response.writeHead(302, { location: `${redirectTo}${request.url}` });
    response.end();
  });
  let redirecting: string;

  beforeAll(async () => {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    await new Promise<void>(resolve =>
      redirector.listen(0, '127.0.0.1', resolve),
    );
    redirecting = `http://127.0.0.1:${
      (redirector.address() as net.AddressInfo).port
    }`;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    await new Promise(resolve => redirector.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
  });

  const bare = (name: string) => {
    const dir = path.join(root, name);
    git(['init', '--quiet', '--bare', '--initial-branch=main', dir]);
    return dir;
  };

  async function run(remoteUrl: string, isDryRun = false) {
    const context = createActionContext({
      input: { remoteUrl },
      isDryRun,
      workspacePath: workspace.path,
    });
    await action.handler(context.ctx);
    return context.outputs;
  }

  it('pushes once; a re-run finds its commit and pushes nothing', async () => {
    const dir = bare('fraud.git');
    const remoteUrl = `${base}/fraud.git`;
    const first = await run(remoteUrl);
    expect(first).toEqual({
      remoteUrl,
      repoContentsUrl: `${base}/fraud`,
      commitHash: git(['--git-dir', dir, 'rev-parse', 'main']),
    });
    expect(
      git(['--git-dir', dir, 'ls-tree', '-r', '--name-only', 'main']),
    ).toBe('README.md\nsrc/train.py');
    const second = await run(remoteUrl);
    expect(second.commitHash).toBe(first.commitHash);
    expect(git(['--git-dir', dir, 'rev-list', '--count', 'main'])).toBe('1');
  });

  it('dry run pushes nothing', async () => {
    const dir = bare('dry.git');
    const outputs = await run(`${base}/dry.git`, true);
    expect(outputs.commitHash).toMatch(/^[0-9a-f]{40}$/);
    expect(git(['--git-dir', dir, 'for-each-ref'])).toBe('');
  });

  it('refuses a remote branch with unrelated history', async () => {
    const dir = bare('taken.git');
    const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'clone-'));
    git(['clone', '--quiet', dir, clone]);
    fs.writeFileSync(path.join(clone, 'x.txt'), 'x');
    git(['add', '.'], clone);
    git(['commit', '--quiet', '-m', 'theirs'], clone);
    git(['push', '--quiet', 'origin', 'HEAD:refs/heads/main'], clone);
    fs.rmSync(clone, { recursive: true, force: true });
    await expect(run(`${base}/taken.git`)).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Branch 'main' of ${base}/taken.git already has a history`,
      ),
    });
  });

  it('refuses a host not in mlops.git.allowedHosts, and follows no redirect away from an allowed one', async () => {
    const dir = bare('redirected.git');
    const port = (server.address() as net.AddressInfo).port;
    await expect(
      run(`http://localhost:${port}/redirected.git`),
    ).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        "host 'localhost' is not an allowed Git host (mlops.git.allowedHosts: 127.0.0.1)",
      ),
    });
    // 127.0.0.1 is allowed, but it sends git on to localhost: git must not follow
    redirectTo = `http://localhost:${port}`;
    await expect(run(`${redirecting}/redirected.git`)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        `Git remote ${redirecting}/redirected.git: `,
      ),
    });
    expect(git(['--git-dir', dir, 'for-each-ref'])).toBe('');
  });

  it('names the remote when the repository does not exist or the server is down', async () => {
    await expect(run(`${base}/missing.git`)).rejects.toThrow(
      `Git remote ${base}/missing.git: `,
    );
    const down = `http://127.0.0.1:${await closedPort()}/fraud.git`;
    await expect(run(down)).rejects.toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringMatching(
        /^Git remote http:\/\/127\.0\.0\.1:\d+\/fraud\.git: .*Failed to connect/,
      ),
    });
  });
});
