/**
 * Against the harness Gitea (scripts/harness/harness.sh up git): the organisation and the
 * service account's token the harness seeded, as the embedded stack's portal uses them.
 */
import { createMockDirectory } from '@backstage/backend-test-utils';
import { harnessStatePath } from '@internal/harness';
import fs from 'node:fs';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { GiteaTarget } from '../lib/gitea';
import { createPublishGitAction } from './publishGit';

interface HarnessGit {
  url: string;
  host: string;
  org: string;
  user: string;
  token: string;
}

function requireHarnessGit(): HarnessGit {
  const file = harnessStatePath();
  const state = fs.existsSync(file)
    ? JSON.parse(fs.readFileSync(file, 'utf8'))
    : {};
  if (!state.git) {
    throw new Error(
      `The harness service 'git' is not running (no entry in ${file}). Start it with: scripts/harness/harness.sh up git`,
    );
  }
  return state.git as HarnessGit;
}

const harness = requireHarnessGit();
const target: GiteaTarget = {
  host: harness.host,
  baseUrl: harness.url,
  password: harness.token,
};
const OWNER = 'group:default/ml-team';

async function giteaApi(method: string, path: string): Promise<Response> {
  return fetch(`${harness.url}/api/v1${path}`, {
    method,
    headers: { Authorization: `token ${harness.token}` },
  });
}

describe('mlops:publish:git against the harness Gitea', () => {
  const name = `it-publish-${Date.now().toString(36)}`;
  const workspace = createMockDirectory({
    content: {
      'README.md': '# project\n',
      'catalog-info.yaml': `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n`,
      'src/train.py': 'print(1)\n',
    },
  });
  const action = createPublishGitAction({
    git: {
      allowedRoots: [],
      allowedHosts: ['127.0.0.1'],
      defaultRemoteBase: `${harness.url}/${harness.org}`,
    },
    initiator: testInitiator(),
    gitea: [target],
  });

  afterAll(async () => {
    await giteaApi('DELETE', `/repos/${harness.org}/${name}`);
  });

  const run = async () => {
    const context = createActionContext({
      input: { repoName: name, owner: OWNER, description: 'integration test' },
      workspacePath: workspace.path,
    });
    let error: Error | undefined;
    try {
      await action.handler(context.ctx);
    } catch (e) {
      error = e as Error;
    }
    return { ...context, error };
  };

  const commits = async () => {
    const res = await giteaApi(
      'GET',
      `/repos/${harness.org}/${name}/commits?sha=main&limit=10`,
    );
    return (await res.json()) as Array<{ sha: string }>;
  };

  it('creates the repository in the organisation, its content readable back through the Gitea API; a second run with the same name is refused and pushes nothing', async () => {
    const first = await run();
    expect(first.error).toBeUndefined();
    const contents = `${harness.url}/${harness.org}/${name}/src/branch/main/`;
    expect(first.outputs).toEqual({
      remoteUrl: `${harness.url}/${harness.org}/${name}.git`,
      repoContentsUrl: contents,
      catalogInfoUrl: `${contents}catalog-info.yaml`,
      repoUrl: `${harness.url}/${harness.org}/${name}`,
      commitHash: expect.stringMatching(/^[0-9a-f]{40}$/),
    });

    const repo = await (
      await giteaApi('GET', `/repos/${harness.org}/${name}`)
    ).json();
    expect(repo).toMatchObject({
      name,
      private: true,
      empty: false,
      default_branch: 'main',
      description: 'integration test',
    });
    const file = await (
      await giteaApi(
        'GET',
        `/repos/${harness.org}/${name}/contents/catalog-info.yaml?ref=main`,
      )
    ).json();
    expect(Buffer.from(file.content, 'base64').toString('utf8')).toContain(
      `name: ${name}`,
    );
    const tree = await (
      await giteaApi(
        'GET',
        `/repos/${harness.org}/${name}/git/trees/main?recursive=true`,
      )
    ).json();
    expect(
      tree.tree
        .filter((e: { type: string }) => e.type === 'blob')
        .map((e: { path: string }) => e.path)
        .sort(),
    ).toEqual(['README.md', 'catalog-info.yaml', 'src/train.py']);
    const before = await commits();
    expect(before.map(c => c.sha)).toEqual([first.outputs.commitHash]);
    // Not readable without the token: a private repository
    expect(
      (
        await fetch(
          `${harness.url}/api/v1/repos/${harness.org}/${name}/contents/README.md`,
        )
      ).status,
    ).toBe(404);

    const second = await run();
    expect(second.error).toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining(
        `Gitea repository ${harness.org}/${name} on ${harness.url} already exists`,
      ),
    });
    expect(second.outputs).toEqual({});
    expect((await commits()).map(c => c.sha)).toEqual(before.map(c => c.sha));

    for (const text of [
      JSON.stringify(first.outputs),
      first.logLines().join('\n'),
      second.logLines().join('\n'),
      second.error!.message,
    ]) {
      expect(text).not.toContain(harness.token);
    }
  });
});
