/**
 * mlops:publish:git on a Gitea server of integrations.gitea: the Gitea API mocked with msw,
 * the push to a real Git smart-HTTP server (git http-backend) on the same host and port.
 */
import {
  createMockDirectory,
  registerMswTestHooks,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { http as mswHttp, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { git } from '../__testUtils__/git';
import { gitHttpServer } from '../__testUtils__/gitHttpServer';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { GiteaTarget, readGiteaTargets } from '../lib/gitea';
import { createPublishGitAction } from './publishGit';

const TOKEN = 'gitea-token-0123456789abcdef';
const msw = setupServer();
registerMswTestHooks(msw);

describe('mlops:publish:git to a Gitea server', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'gitea-fake-'));
  const server = gitHttpServer(root);
  let base: string;
  let host: string;
  const workspace = createMockDirectory({
    content: {
      'README.md': '# fraud\n',
      'catalog-info.yaml': 'kind: Component\n',
    },
  });

  beforeAll(async () => {
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    host = `127.0.0.1:${(server.address() as net.AddressInfo).port}`;
    base = `http://${host}`;
  });
  afterAll(async () => {
    await new Promise(resolve => server.close(resolve));
    fs.rmSync(root, { recursive: true, force: true });
  });
  beforeEach(() => {
    server.requests.length = 0;
  });

  const target = (): GiteaTarget => ({ host, baseUrl: base, password: TOKEN });
  const action = (gitea: GiteaTarget[] = [target()]) =>
    createPublishGitAction({
      git: { allowedRoots: [], allowedHosts: ['127.0.0.1'] },
      initiator: testInitiator(),
      gitea,
      giteaPushWaitMs: 1500,
    });

  const tipOf = (org: string, repo: string, branch: string) => {
    try {
      return git([
        '--git-dir',
        path.join(root, org, `${repo}.git`),
        'rev-parse',
        '--verify',
        '--quiet',
        `refs/heads/${branch}`,
      ]);
    } catch {
      return '';
    }
  };

  /** The Gitea API: creating a repository makes the bare repository git http-backend serves. */
  function giteaApi(
    options: {
      createStatus?: number;
      deleteStatus?: number;
      neverProcessed?: boolean;
    } = {},
  ) {
    const calls: Array<{
      method: string;
      path: string;
      authorization: string | null;
      body?: any;
    }> = [];
    msw.use(
      mswHttp.post(
        `${base}/api/v1/orgs/:org/repos`,
        async ({ request, params }) => {
          const body = (await request.json()) as any;
          calls.push({
            method: 'POST',
            path: new URL(request.url).pathname,
            authorization: request.headers.get('authorization'),
            body,
          });
          const status = options.createStatus ?? 201;
          if (status === 201) {
            git([
              'init',
              '--quiet',
              '--bare',
              '--initial-branch=main',
              path.join(root, String(params.org), `${body.name}.git`),
            ]);
            return HttpResponse.json({ name: body.name }, { status });
          }
          return HttpResponse.json(
            {
              message:
                status === 409
                  ? 'The repository with the same name already exists.'
                  : 'nope',
            },
            { status },
          );
        },
      ),
      // what Gitea's push queue reports once it has processed the push
      mswHttp.get(`${base}/api/v1/repos/:org/:repo`, ({ params }) => {
        const tip = tipOf(String(params.org), String(params.repo), 'main');
        return options.neverProcessed
          ? HttpResponse.json({ empty: true })
          : HttpResponse.json({ empty: !tip });
      }),
      mswHttp.get(
        `${base}/api/v1/repos/:org/:repo/branches/:branch`,
        ({ params }) => {
          const tip = tipOf(
            String(params.org),
            String(params.repo),
            String(params.branch),
          );
          return tip && !options.neverProcessed
            ? HttpResponse.json({ commit: { id: tip } })
            : HttpResponse.json({ message: 'not found' }, { status: 404 });
        },
      ),
      mswHttp.delete(
        `${base}/api/v1/repos/:org/:repo`,
        ({ request, params }) => {
          calls.push({
            method: 'DELETE',
            path: new URL(request.url).pathname,
            authorization: request.headers.get('authorization'),
          });
          const status = options.deleteStatus ?? 204;
          if (status === 204) {
            fs.rmSync(
              path.join(root, String(params.org), `${params.repo}.git`),
              {
                recursive: true,
                force: true,
              },
            );
            return new HttpResponse(null, { status });
          }
          return HttpResponse.json({ message: 'delete refused' }, { status });
        },
      ),
    );
    return calls;
  }

  async function run(
    remoteUrl: string,
    extra: Record<string, unknown> = {},
    gitea?: GiteaTarget[],
  ) {
    const context = createActionContext({
      input: { remoteUrl, ...extra },
      workspacePath: workspace.path,
      isDryRun: extra.isDryRun === true,
    });
    let error: Error | undefined;
    try {
      await action(gitea).handler(context.ctx);
    } catch (e) {
      error = e as Error;
    }
    return { ...context, error };
  }

  const noToken = (text: string) => {
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(
      Buffer.from(`mlstack:${TOKEN}`).toString('base64'),
    );
  };

  it('creates the repository in the organisation, pushes with the token in a header, and outputs the URLs the catalog reads', async () => {
    const calls = giteaApi();
    const { outputs, logLines, error } = await run(
      `${base}/mlstack/fraud.git`,
      {
        description: 'Fraud model',
        repoVisibility: 'public',
      },
    );
    expect(error).toBeUndefined();
    expect(calls).toEqual([
      {
        method: 'POST',
        path: '/api/v1/orgs/mlstack/repos',
        authorization: `token ${TOKEN}`,
        body: {
          name: 'fraud',
          description: 'Fraud model',
          private: false,
          auto_init: false,
          default_branch: 'main',
        },
      },
    ]);
    const bare = path.join(root, 'mlstack', 'fraud.git');
    const head = git(['--git-dir', bare, 'rev-parse', 'main']);
    expect(outputs).toEqual({
      remoteUrl: `${base}/mlstack/fraud.git`,
      repoContentsUrl: `${base}/mlstack/fraud/src/branch/main/`,
      catalogInfoUrl: `${base}/mlstack/fraud/src/branch/main/catalog-info.yaml`,
      repoUrl: `${base}/mlstack/fraud`,
      commitHash: head,
    });
    expect(git(['--git-dir', bare, 'ls-tree', '--name-only', 'main'])).toBe(
      'README.md\ncatalog-info.yaml',
    );
    // every Git request carried the token as Basic auth; none in a URL
    const gitRequests = server.requests;
    expect(gitRequests.length).toBeGreaterThan(0);
    for (const r of gitRequests) {
      expect(r.authorization).toBe(
        `Basic ${Buffer.from(`mlstack:${TOKEN}`).toString('base64')}`,
      );
      expect(r.url).not.toContain(TOKEN);
    }
    noToken(JSON.stringify(outputs));
    noToken(logLines().join('\n'));
    // and nothing of it in the repository
    noToken(git(['--git-dir', bare, 'config', '--list']));
  });

  it('waits for Gitea to process the push, and warns when it has not in time', async () => {
    giteaApi({ neverProcessed: true });
    const { error, outputs, logLines } = await run(`${base}/mlstack/slow.git`);
    expect(error).toBeUndefined();
    expect(outputs.commitHash).toMatch(/^[0-9a-f]{40}$/);
    expect(logLines().join('\n')).toContain(
      'Gitea has not yet processed the push to mlstack/slow after 1.5 s: registering it in the catalog may fail until it has',
    );
  });

  it('uses the integration username for Basic auth when one is configured', async () => {
    const calls = giteaApi();
    const { error } = await run(`${base}/mlstack/with-user.git`, {}, [
      { ...target(), username: 'mlstack-portal' },
    ]);
    expect(error).toBeUndefined();
    const basic = `Basic ${Buffer.from(`mlstack-portal:${TOKEN}`).toString(
      'base64',
    )}`;
    expect(calls[0].authorization).toBe(basic);
    expect(server.requests.every(r => r.authorization === basic)).toBe(true);
  });

  it('refuses a repository that already exists with a ConflictError, pushing nothing', async () => {
    giteaApi({ createStatus: 409 });
    const { error, outputs, logLines } = await run(`${base}/mlstack/taken.git`);
    expect(error).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Gitea repository mlstack/taken on ${base} already exists`,
      ),
    });
    expect(error!.message).toContain('Nothing was pushed');
    expect(server.requests).toEqual([]);
    expect(outputs).toEqual({});
    noToken(error!.message);
    noToken(logLines().join('\n'));
  });

  it('names an unknown organisation (404) and a refused token (403)', async () => {
    giteaApi({ createStatus: 404 });
    const missing = await run(`${base}/nobody/fraud.git`);
    expect(missing.error).toMatchObject({
      name: 'NotFoundError',
      message: expect.stringContaining("there is no organisation 'nobody'"),
    });
    msw.resetHandlers();
    giteaApi({ createStatus: 403 });
    const refused = await run(`${base}/mlstack/fraud2.git`);
    expect(refused.error).toMatchObject({
      name: 'NotAllowedError',
      message: expect.stringContaining(
        `the token of integrations.gitea for host '${host}' was refused (HTTP 403`,
      ),
    });
    noToken(refused.error!.message);
    expect(server.requests).toEqual([]);
  });

  it('deletes the repository it created when the push fails', async () => {
    const calls: string[] = [];
    msw.use(
      // created on "Gitea", but git http-backend has no such repository: the push fails
      mswHttp.post(`${base}/api/v1/orgs/:org/repos`, () => {
        calls.push('POST');
        return HttpResponse.json({}, { status: 201 });
      }),
      mswHttp.delete(`${base}/api/v1/repos/mlstack/ghost`, () => {
        calls.push('DELETE');
        return new HttpResponse(null, { status: 204 });
      }),
    );
    const { error, outputs } = await run(`${base}/mlstack/ghost.git`);
    expect(calls).toEqual(['POST', 'DELETE']);
    expect(error).toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        'the repository mlstack/ghost this action created was deleted again',
      ),
    });
    expect(error!.message).toContain(`Git remote ${base}/mlstack/ghost.git`);
    noToken(error!.message);
    expect(outputs).toEqual({});
  });

  it('says exactly what is left when the push fails and the delete too', async () => {
    msw.use(
      mswHttp.post(`${base}/api/v1/orgs/:org/repos`, () =>
        HttpResponse.json({}, { status: 201 }),
      ),
      mswHttp.delete(`${base}/api/v1/repos/mlstack/stuck`, () =>
        HttpResponse.json({ message: 'delete refused' }, { status: 403 }),
      ),
    );
    const { error } = await run(`${base}/mlstack/stuck.git`);
    expect(error?.message).toContain(
      `the empty repository ${base}/mlstack/stuck this action created could not be deleted (HTTP 403 delete refused): delete it before running the template again`,
    );
  });

  it('dry run: no API call, no push, the outputs it would have', async () => {
    // no msw handler: an API call would fail the test (unhandled request)
    const { outputs, error } = await run(`${base}/mlstack/dry.git`, {
      isDryRun: true,
    });
    expect(error).toBeUndefined();
    expect(server.requests).toEqual([]);
    expect(outputs).toMatchObject({
      remoteUrl: `${base}/mlstack/dry.git`,
      repoContentsUrl: `${base}/mlstack/dry/src/branch/main/`,
      catalogInfoUrl: `${base}/mlstack/dry/src/branch/main/catalog-info.yaml`,
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
  });

  it('refuses a URL that is not <org>/<repo>.git, a host outside mlops.git.allowedHosts, and a target without a token', async () => {
    for (const bad of [
      `${base}/mlstack.git`,
      `${base}/mlstack/a/b.git`,
      `${base}/mlstack/bad%20name.git`,
      `${base}/mlstack/x.git?y=1`,
    ]) {
      const { error } = await run(bad);
      expect(error).toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(
          `is not ${base}/<organisation>/<repository>.git`,
        ),
      });
    }
    const other = createPublishGitAction({
      git: { allowedRoots: [], allowedHosts: ['git.example.com'] },
      initiator: testInitiator(),
      gitea: [target()],
    });
    const context = createActionContext({
      input: { remoteUrl: `${base}/mlstack/fraud.git` },
      workspacePath: workspace.path,
    });
    await expect(other.handler(context.ctx)).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    const { error } = await run(`${base}/mlstack/fraud.git`, {}, [
      { host, baseUrl: base },
    ]);
    expect(error).toMatchObject({
      name: 'ServiceUnavailableError',
      message: expect.stringContaining(
        `integrations.gitea for host '${host}' has no password`,
      ),
    });
    expect(server.requests).toEqual([]);
  });

  it('repoName: a new repository at mlops.git.defaultRemoteBase; exactly one of remoteUrl and repoName', async () => {
    const calls = giteaApi();
    const withBase = createPublishGitAction({
      git: {
        allowedRoots: [],
        allowedHosts: ['127.0.0.1'],
        defaultRemoteBase: `${base}/mlstack`,
      },
      initiator: testInitiator(),
      gitea: [target()],
      giteaPushWaitMs: 1500,
    });
    const named = createActionContext({
      input: { repoName: 'by-name' },
      workspacePath: workspace.path,
    });
    await withBase.handler(named.ctx);
    expect(calls.map(c => c.path)).toEqual(['/api/v1/orgs/mlstack/repos']);
    expect(calls[0].body.name).toBe('by-name');
    expect(named.outputs.remoteUrl).toBe(`${base}/mlstack/by-name.git`);
    expect(named.outputs.catalogInfoUrl).toBe(
      `${base}/mlstack/by-name/src/branch/main/catalog-info.yaml`,
    );

    const cases: Array<[Record<string, string>, string]> = [
      [{}, 'remoteUrl is required (or repoName'],
      [
        { repoName: 'x', remoteUrl: `${base}/mlstack/x.git` },
        'give remoteUrl or repoName, not both',
      ],
      [{ repoName: '../x' }, "repoName '../x' must be letters, digits"],
    ];
    for (const [input, message] of cases) {
      const c = createActionContext({ input, workspacePath: workspace.path });
      await expect(withBase.handler(c.ctx)).rejects.toMatchObject({
        name: 'InputError',
        message: expect.stringContaining(message),
      });
    }
    // without the setting
    const { error } = await run(undefined as any, { repoName: 'x' });
    expect(error).toMatchObject({
      name: 'InputError',
      message: expect.stringContaining(
        "repoName 'x' needs mlops.git.defaultRemoteBase",
      ),
    });
  });

  it('reads integrations.gitea as @backstage/integration does (host with port, baseUrl)', () => {
    expect(
      readGiteaTargets(
        new ConfigReader({
          integrations: {
            gitea: [
              {
                host: '127.0.0.1:3001',
                baseUrl: 'http://127.0.0.1:3001/',
                password: ' t ',
              },
              { host: 'gitea.example.com' },
            ],
          },
        }),
      ),
    ).toEqual([
      {
        host: '127.0.0.1:3001',
        baseUrl: 'http://127.0.0.1:3001',
        password: 't',
      },
      { host: 'gitea.example.com', baseUrl: 'https://gitea.example.com' },
    ]);
  });
});
