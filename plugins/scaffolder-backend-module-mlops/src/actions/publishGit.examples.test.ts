import { createMockDirectory } from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'yaml';
import { testInitiator } from '../__testUtils__/initiator';
import { createActionContext } from '../__testUtils__/mockActionContext';
import { createPublishGitAction } from './publishGit';
import { examples } from './publishGit.examples';

/** The examples publish under /srv/git; here that is a temporary directory. */
const EXAMPLE_ROOT = '/srv/git';

describe('mlops:publish:git examples', () => {
  const workspace = createMockDirectory({
    content: { 'README.md': '# x\n', 'repo/train.py': 'print(1)\n' },
  });
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'git-examples-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it.each(examples.map((e, i) => [e.description, i] as const))(
    '%s',
    async (_description, index) => {
      const step = yaml.parse(examples[index].example).steps[0];
      const action = createPublishGitAction({
        git: { allowedRoots: [root] },
        initiator: testInitiator(),
      });
      expect(step.action).toBe(action.id);
      const input = {
        ...step.input,
        remoteUrl: step.input.remoteUrl.replace(EXAMPLE_ROOT, root),
      };
      const { ctx, outputs } = createActionContext({
        input,
        workspacePath: workspace.path,
      });
      await action.handler(ctx);
      const bare = path.join(root, 'fraud-detector.git');
      const branch = step.input.defaultBranch ?? 'main';
      const show = (args: string[]) =>
        execFileSync('git', ['--git-dir', bare, ...args], {
          encoding: 'utf8',
        }).trim();
      expect(outputs.commitHash).toBe(show(['rev-parse', branch]));
      expect(show(['config', 'mlstack.owner'])).toBe(step.input.owner);
      expect(show(['ls-tree', '-r', '--name-only', branch])).toBe(
        step.input.sourcePath ? 'train.py' : 'README.md\nrepo/train.py',
      );
      expect(show(['log', '--format=%an|%s', branch])).toBe(
        `${step.input.gitAuthorName ?? 'Scaffolder'}|${
          step.input.commitMessage ?? 'Initial commit'
        }`,
      );
    },
  );
});
