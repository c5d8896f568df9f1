import {
  ConflictError,
  InputError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  createTemplateAction,
  getRepoSourceDirectory,
} from '@backstage/plugin-scaffolder-node';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  checkHttpRemoteAllowed,
  checkLocalRemoteAllowed,
  GitCommandError,
  GitRemote,
  GitSettings,
  parseGitRemote,
  runGit,
} from '../lib/git';
import { examples } from './publishGit.examples';

export const PUBLISH_GIT_ACTION_ID = 'mlops:publish:git';

const DEFAULT_AUTHOR = { name: 'Scaffolder', email: 'scaffolder@backstage.io' };

function remoteError(remote: GitRemote, error: unknown): Error {
  if (error instanceof GitCommandError) {
    return new ServiceUnavailableError(
      `Git remote ${remote.url}: ${error.stderr.trim() || error.message}`,
    );
  }
  return error as Error;
}

async function isBareRepository(dir: string): Promise<boolean> {
  try {
    return (
      (await runGit(['--git-dir', dir, 'rev-parse', '--is-bare-repository'], {
        cwd: dir,
      })) === 'true'
    );
  } catch {
    return false;
  }
}

/**
 * For a local remote: checks it is in an allowed root, and that an existing directory is a
 * bare repository. Returns whether it must be created.
 */
async function prepareLocalRemote(
  remote: Extract<GitRemote, { kind: 'local' }>,
  settings: GitSettings,
): Promise<boolean> {
  await checkLocalRemoteAllowed(remote, settings);
  const stat = await fs.stat(remote.path).catch(() => undefined);
  if (!stat) {
    return true;
  }
  if (!stat.isDirectory() || !(await isBareRepository(remote.path))) {
    const empty =
      stat.isDirectory() && (await fs.readdir(remote.path)).length === 0;
    if (empty) {
      return true;
    }
    throw new InputError(
      `remoteUrl '${remote.path}' exists but is not a bare Git repository`,
    );
  }
  return false;
}

/**
 * `mlops:publish:git`: publishes the workspace as the first commit of a branch of a plain Git
 * remote (a bare repository on the backend's disk, or an http(s) Git server), for setups
 * without GitHub or GitLab.
 *
 * @public
 */
export function createPublishGitAction(options: { git: GitSettings }) {
  return createTemplateAction({
    id: PUBLISH_GIT_ACTION_ID,
    description:
      'Publishes the workspace to a plain Git remote (a bare repository under mlops.git.allowedRoots, or an http(s) Git server of mlops.git.allowedHosts) as the first commit of a branch; a re-run with the same content is a no-op',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        remoteUrl: z =>
          z
            .string()
            .describe(
              "Bare repository path ('/srv/git/fraud.git') or file:// URL under mlops.git.allowedRoots, or http(s) URL without credentials on a host of mlops.git.allowedHosts",
            ),
        defaultBranch: z =>
          z
            .string()
            .optional()
            .describe("Branch to publish to; 'main' by default"),
        commitMessage: z =>
          z.string().optional().describe("'Initial commit' by default"),
        sourcePath: z =>
          z
            .string()
            .optional()
            .describe(
              'Workspace-relative directory to publish; the whole workspace by default',
            ),
        gitAuthorName: z =>
          z.string().optional().describe("'Scaffolder' by default"),
        gitAuthorEmail: z =>
          z
            .string()
            .optional()
            .describe("'scaffolder@backstage.io' by default"),
      },
      output: {
        remoteUrl: z => z.string().describe('The remote published to'),
        repoContentsUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'For an http(s) remote, its URL without .git; for a local one, its file:// URL',
            ),
        commitHash: z =>
          z
            .string()
            .describe('The published commit (or the one already there)'),
      },
    },
    async handler(ctx) {
      const remote = parseGitRemote(ctx.input.remoteUrl);
      if (remote.kind === 'http') {
        checkHttpRemoteAllowed(remote, options.git);
      }
      const branch = ctx.input.defaultBranch?.trim() || 'main';
      const message = ctx.input.commitMessage?.trim() || 'Initial commit';
      const author = {
        name: ctx.input.gitAuthorName?.trim() || DEFAULT_AUTHOR.name,
        email: ctx.input.gitAuthorEmail?.trim() || DEFAULT_AUTHOR.email,
      };
      let source: string;
      try {
        source = getRepoSourceDirectory(
          ctx.workspacePath,
          ctx.input.sourcePath,
        );
      } catch {
        throw new InputError(
          `sourcePath '${ctx.input.sourcePath}' points outside the workspace`,
        );
      }
      const sourceStat = await fs.stat(source).catch(() => undefined);
      if (!sourceStat?.isDirectory()) {
        throw new InputError(
          `sourcePath '${
            ctx.input.sourcePath ?? '.'
          }' is not a directory of the workspace`,
        );
      }

      const scratch = await fs.mkdtemp(
        path.join(os.tmpdir(), 'mlops-publish-git-'),
      );
      try {
        await runGit(['check-ref-format', '--branch', branch], {
          cwd: scratch,
        }).catch(() => {
          throw new InputError(
            `defaultBranch '${branch}' is not a valid branch name`,
          );
        });
        const createLocal =
          remote.kind === 'local'
            ? await prepareLocalRemote(remote, options.git)
            : false;

        const gitDir = path.join(scratch, 'git');
        const git = (args: string[]) =>
          runGit(['--git-dir', gitDir, '--work-tree', source, ...args], {
            cwd: scratch,
            env: {
              GIT_AUTHOR_NAME: author.name,
              GIT_AUTHOR_EMAIL: author.email,
              GIT_COMMITTER_NAME: author.name,
              GIT_COMMITTER_EMAIL: author.email,
            },
          });
        await runGit(['init', '--quiet', '--bare', gitDir], { cwd: scratch });
        await git(['add', '--all']);
        const tree = await git(['write-tree']);

        if (ctx.isDryRun) {
          const commitHash = await git(['commit-tree', tree, '-m', message]);
          ctx.logger.info(
            `Dry run: would publish ${
              path.relative(ctx.workspacePath, source) || 'the workspace'
            } to branch '${branch}' of ${remote.url}${
              createLocal ? ' (a new bare repository)' : ''
            }`,
          );
          ctx.output('remoteUrl', remote.url);
          ctx.output('repoContentsUrl', contentsUrl(remote));
          ctx.output('commitHash', commitHash);
          return;
        }

        const { commitHash } = await ctx.checkpoint({
          key: `mlops.publish.git.${remote.url}.${branch}`,
          fn: async () => {
            if (createLocal && remote.kind === 'local') {
              await fs.mkdir(remote.path, { recursive: true });
              await runGit(
                [
                  'init',
                  '--quiet',
                  '--bare',
                  `--initial-branch=${branch}`,
                  remote.path,
                ],
                { cwd: scratch },
              );
              ctx.logger.info(`Created bare repository ${remote.path}`);
            }
            const tip = (
              await git([
                'ls-remote',
                '--heads',
                remote.url,
                `refs/heads/${branch}`,
              ]).catch(error => {
                throw remoteError(remote, error);
              })
            ).split(/\s+/)[0];
            if (tip) {
              await git([
                'fetch',
                '--quiet',
                remote.url,
                `refs/heads/${branch}`,
              ]).catch(error => {
                throw remoteError(remote, error);
              });
              const history = await git([
                'log',
                '--format=%H %T',
                'FETCH_HEAD',
              ]);
              const ours = history
                .split('\n')
                .map(line => line.split(' '))
                .find(([, commitTree]) => commitTree === tree);
              if (!ours) {
                throw new ConflictError(
                  `Branch '${branch}' of ${
                    remote.url
                  } already has a history (${tip.slice(
                    0,
                    12,
                  )}) that does not contain the content being published; ` +
                    'this action only publishes new repositories and neither overwrites nor merges: pick another remote or branch',
                );
              }
              ctx.logger.info(
                `Branch '${branch}' of ${remote.url} already has this content (commit ${ours[0]}); nothing to push`,
              );
              return { commitHash: ours[0] };
            }
            const commit = await git(['commit-tree', tree, '-m', message]);
            await git([
              'push',
              '--quiet',
              remote.url,
              `${commit}:refs/heads/${branch}`,
            ]).catch(error => {
              throw remoteError(remote, error);
            });
            if (remote.kind === 'local') {
              // an existing empty repository may point HEAD elsewhere; clones then check out nothing
              await runGit(
                [
                  '--git-dir',
                  remote.path,
                  'symbolic-ref',
                  'HEAD',
                  `refs/heads/${branch}`,
                ],
                { cwd: scratch },
              ).catch(() => undefined);
            }
            ctx.logger.info(
              `Published commit ${commit} to branch '${branch}' of ${remote.url}`,
            );
            return { commitHash: commit };
          },
        });
        ctx.output('remoteUrl', remote.url);
        ctx.output('repoContentsUrl', contentsUrl(remote));
        ctx.output('commitHash', commitHash);
      } finally {
        await fs.rm(scratch, { recursive: true, force: true });
      }
    },
  });
}

function contentsUrl(remote: GitRemote): string {
  return remote.kind === 'local'
    ? `file://${remote.path}`
    : remote.url.replace(/\.git\/?$/, '');
}
