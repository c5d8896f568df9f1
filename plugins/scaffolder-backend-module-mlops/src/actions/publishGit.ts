// Over 300 lines: one action's steps in order (resolve the remote, the initiator must own the
// project, the repository's recorded owner, commit the workspace, create the repository on Gitea
// (deleted again if the push fails) or as a bare repository, push, outputs), with the checks
// each kind of remote needs kept beside the handler that uses them.
import {
  ConflictError,
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  createTemplateAction,
  getRepoSourceDirectory,
} from '@backstage/plugin-scaffolder-node';
import { canonicalOwnerRef } from '@mlstack/plugin-mlops-common';
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
import {
  createGiteaRepository,
  deleteGiteaRepository,
  gitAuthorization,
  GiteaRepository,
  GiteaTarget,
  giteaTargetFor,
  parseGiteaRepository,
  waitForGiteaBranch,
} from '../lib/gitea';
import { InitiatorPolicy, requireInitiatorOwns } from '../lib/initiator';
import { normaliseOwnerRef } from '../lib/validation';
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

/** The git config key a bare repository created by this action records its owner in. */
export const REPOSITORY_OWNER_KEY = 'mlstack.owner';

/** A local remote as found: missing (to be created), or a bare repository. */
type LocalRepository =
  | { state: 'missing' }
  | {
      state: 'bare';
      /** It has no refs at all (no branch to overwrite, HEAD to keep). */
      empty: boolean;
      /** Its `mlstack.owner`, as recorded. */
      recordedOwner?: string;
    };

async function inspectBareRepository(
  dir: string,
): Promise<Extract<LocalRepository, { state: 'bare' }>> {
  const refs = await runGit(['--git-dir', dir, 'for-each-ref', '--count=1'], {
    cwd: dir,
  });
  const recordedOwner = await runGit(
    ['--git-dir', dir, 'config', '--local', '--get', REPOSITORY_OWNER_KEY],
    { cwd: dir },
  ).catch(() => undefined);
  return {
    state: 'bare',
    empty: refs === '',
    recordedOwner: recordedOwner || undefined,
  };
}

/**
 * For a local remote: checks it is in an allowed root, and that an existing directory is a
 * bare repository (or empty).
 */
async function inspectLocalRemote(
  remote: Extract<GitRemote, { kind: 'local' }>,
  settings: GitSettings,
): Promise<LocalRepository> {
  await checkLocalRemoteAllowed(remote, settings);
  const stat = await fs.stat(remote.path).catch(() => undefined);
  if (!stat) {
    return { state: 'missing' };
  }
  if (!stat.isDirectory() || !(await isBareRepository(remote.path))) {
    const empty =
      stat.isDirectory() && (await fs.readdir(remote.path)).length === 0;
    if (empty) {
      return { state: 'missing' };
    }
    throw new InputError(
      `remoteUrl '${remote.path}' exists but is not a bare Git repository`,
    );
  }
  return inspectBareRepository(remote.path);
}

/**
 * Refuses (NotAllowedError) an existing bare repository that is not `owner`'s: one whose
 * recorded owner (git config `mlstack.owner`, set when this action created it) is another, and
 * one with branches that records no owner (made outside the portal). An empty one without an
 * owner may be used (and is claimed). Without this, a template could add a branch to another
 * team's repository and point its HEAD (the branch clones check out) at it.
 */
function checkRepositoryOwner(
  path_: string,
  repository: LocalRepository,
  owner: string,
): void {
  if (repository.state === 'missing') {
    return;
  }
  const { recordedOwner, empty } = repository;
  if (recordedOwner !== undefined) {
    if ((canonicalOwnerRef(recordedOwner) ?? recordedOwner) === owner) {
      return;
    }
    throw new NotAllowedError(
      `Git repository '${path_}' belongs to ${recordedOwner} (git config ${REPOSITORY_OWNER_KEY}), not to ${owner}; pick another remoteUrl`,
    );
  }
  if (!empty) {
    throw new NotAllowedError(
      `Git repository '${path_}' already has branches and records no owner (git config ${REPOSITORY_OWNER_KEY}), so it was not made for ${owner}; ` +
        `pick another remoteUrl, or adopt it with \`git --git-dir ${path_} config ${REPOSITORY_OWNER_KEY} ${owner}\``,
    );
  }
}

/**
 * Creates the bare repository at `target`, recording its owner, all at once: it is made in a
 * sibling directory and renamed into place, which fails if another task made a non-empty one
 * there meanwhile (then false: inspect it again). A rename replaces only a missing path or an
 * empty directory.
 */
async function createBareRepository(
  target: string,
  branch: string,
  owner: string,
  cwd: string,
): Promise<boolean> {
  await fs.mkdir(path.dirname(target), { recursive: true });
  const staging = await fs.mkdtemp(
    path.join(path.dirname(target), `.${path.basename(target)}.creating-`),
  );
  try {
    await runGit(
      ['init', '--quiet', '--bare', `--initial-branch=${branch}`, staging],
      { cwd },
    );
    await runGit(
      ['--git-dir', staging, 'config', REPOSITORY_OWNER_KEY, owner],
      { cwd },
    );
    await fs.rename(staging, target);
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOTEMPTY' || code === 'EEXIST' || code === 'ENOTDIR') {
      return false;
    }
    throw error;
  } finally {
    await fs.rm(staging, { recursive: true, force: true });
  }
}

/** git's environment for a push that authenticates with an `http.extraHeader` (never the URL). */
function authEnv(header: string): Record<string, string> {
  // runGit sets GIT_CONFIG_KEY_0 (no redirects); this adds a second key. The environment is
  // not visible to other users (unlike a `-c` argument) and git never prints it.
  return {
    GIT_CONFIG_COUNT: '2',
    GIT_CONFIG_KEY_1: 'http.extraHeader',
    GIT_CONFIG_VALUE_1: `Authorization: ${header}`,
  };
}

/**
 * `mlops:publish:git`: publishes the workspace as the first commit of a branch of a plain Git
 * remote (a bare repository on the backend's disk, or an http(s) Git server), for setups
 * without GitHub or GitLab. On a Gitea server of `integrations.gitea` it creates the
 * repository in the organisation of the URL first, and outputs the URLs the catalog reads.
 *
 * @public
 */
export function createPublishGitAction(options: {
  git: GitSettings;
  /** Who may publish into a repository for an owner. */
  initiator: InitiatorPolicy;
  /** `integrations.gitea`: remotes on these hosts are created through the Gitea API. */
  gitea?: GiteaTarget[];
  /** How long to wait for Gitea to process a push before the step ends; 30 s by default. */
  giteaPushWaitMs?: number;
}) {
  return createTemplateAction({
    id: PUBLISH_GIT_ACTION_ID,
    description:
      'Publishes the workspace to a plain Git remote (a bare repository under mlops.git.allowedRoots, or an http(s) Git server of mlops.git.allowedHosts) as the first commit of a branch; a re-run with the same content is a no-op. ' +
      "On a Gitea server of integrations.gitea (http://<host>/<organisation>/<repository>.git) it creates the repository through the Gitea API (an existing one is refused) and pushes with the integration's token; " +
      "its repoContentsUrl and catalogInfoUrl can be registered in the catalog. A bare repository cannot: the catalog does not read the backend's disk",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        remoteUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "Bare repository path ('/srv/git/fraud.git') or file:// URL under mlops.git.allowedRoots, or http(s) URL without credentials on a host of mlops.git.allowedHosts; or repoName instead",
            ),
        repoName: z =>
          z
            .string()
            .optional()
            .describe(
              'Instead of remoteUrl: the name of a new repository at mlops.git.defaultRemoteBase (<defaultRemoteBase>/<repoName>.git, e.g. in the Gitea organisation of the embedded stack)',
            ),
        owner: z =>
          z
            .string()
            .optional()
            .describe(
              "Entity ref of the project's owner, e.g. 'group:default/ml-team'; required for a local remote: a new bare repository records it (git config mlstack.owner), an existing one must be its or empty",
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
        description: z =>
          z
            .string()
            .optional()
            .describe(
              'For a Gitea remote: the description of the repository it creates',
            ),
        repoVisibility: z =>
          z
            .enum(['private', 'public'])
            .optional()
            .describe(
              "For a Gitea remote: the visibility of the repository it creates; 'private' by default",
            ),
      },
      output: {
        remoteUrl: z => z.string().describe('The remote published to'),
        repoContentsUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "For a Gitea remote, the branch's tree as the catalog's URL reader reads it (<baseUrl>/<org>/<repo>/src/branch/<branch>/); for another http(s) remote, its URL without .git; for a local one, its file:// URL (not readable by the catalog)",
            ),
        catalogInfoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              "For a Gitea remote: the URL of the published catalog-info.yaml, for catalog:register's catalogInfoUrl",
            ),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe("For a Gitea remote: the repository's web page"),
        commitHash: z =>
          z
            .string()
            .describe('The published commit (or the one already there)'),
      },
    },
    async handler(ctx) {
      const remote = parseGitRemote(resolveRemoteUrl(ctx.input, options.git));
      if (remote.kind === 'http') {
        checkHttpRemoteAllowed(remote, options.git);
      }
      const giteaTarget =
        remote.kind === 'http'
          ? giteaTargetFor(remote.url, options.gitea ?? [])
          : undefined;
      const gitea = giteaTarget
        ? parseGiteaRepository(remote.url, giteaTarget)
        : undefined;
      const givenOwner = ctx.input.owner?.trim();
      if (remote.kind === 'local' && !givenOwner) {
        throw new InputError(
          `owner is required for the local remote '${remote.path}': a bare repository records its owner (git config ${REPOSITORY_OWNER_KEY}), and only its owner may publish into it`,
        );
      }
      const owner = givenOwner ? normaliseOwnerRef(givenOwner) : undefined;
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
        if (owner) {
          await requireInitiatorOwns(
            ctx,
            options.initiator,
            owner,
            `publish to Git repository '${remote.url}'`,
          );
        }
        const local =
          remote.kind === 'local'
            ? await inspectLocalRemote(remote, options.git)
            : undefined;
        if (remote.kind === 'local' && local && owner) {
          checkRepositoryOwner(remote.path, local, owner);
        }
        const createLocal = local?.state === 'missing';

        const gitDir = path.join(scratch, 'git');
        const git = (args: string[], extraEnv: Record<string, string> = {}) =>
          runGit(['--git-dir', gitDir, '--work-tree', source, ...args], {
            cwd: scratch,
            env: {
              GIT_AUTHOR_NAME: author.name,
              GIT_AUTHOR_EMAIL: author.email,
              GIT_COMMITTER_NAME: author.name,
              GIT_COMMITTER_EMAIL: author.email,
              ...extraEnv,
            },
          });
        await runGit(['init', '--quiet', '--bare', gitDir], { cwd: scratch });
        await git(['add', '--all']);
        const tree = await git(['write-tree']);

        if (gitea) {
          const outputs = giteaOutputs(gitea, branch);
          if (ctx.isDryRun) {
            const commitHash = await git(['commit-tree', tree, '-m', message]);
            ctx.logger.info(
              `Dry run: would create the Gitea repository ${gitea.owner}/${
                gitea.name
              } on ${gitea.target.baseUrl} and publish ${
                path.relative(ctx.workspacePath, source) || 'the workspace'
              } to its branch '${branch}'`,
            );
            outputGitea(ctx, outputs, commitHash);
            return;
          }
          const { commitHash } = await ctx.checkpoint({
            key: `mlops.publish.git.${gitea.cloneUrl}.${branch}`,
            fn: async () => {
              await createGiteaRepository(gitea, {
                description: ctx.input.description?.trim() || undefined,
                private: (ctx.input.repoVisibility ?? 'private') === 'private',
                defaultBranch: branch,
              });
              ctx.logger.info(
                `Created the Gitea repository ${gitea.owner}/${gitea.name} (${gitea.webUrl})`,
              );
              const commit = await git(['commit-tree', tree, '-m', message]);
              try {
                await git(
                  [
                    'push',
                    '--quiet',
                    gitea.cloneUrl,
                    `${commit}:refs/heads/${branch}`,
                  ],
                  authEnv(gitAuthorization(gitea.target)),
                );
              } catch (error) {
                const cause = remoteError(
                  { kind: 'http', url: gitea.cloneUrl },
                  error,
                );
                // Nothing half-created: the repository is empty, remove it again.
                try {
                  await deleteGiteaRepository(gitea);
                } catch (deleteError) {
                  throw new ServiceUnavailableError(
                    `${cause.message}; the empty repository ${
                      gitea.webUrl
                    } this action created could not be deleted (${
                      (deleteError as Error).message
                    }): delete it before running the template again`,
                  );
                }
                throw new ServiceUnavailableError(
                  `${cause.message}; the repository ${gitea.owner}/${gitea.name} this action created was deleted again`,
                );
              }
              ctx.logger.info(
                `Published commit ${commit} to branch '${branch}' of ${gitea.cloneUrl}`,
              );
              const waitMs = options.giteaPushWaitMs ?? 30_000;
              if (!(await waitForGiteaBranch(gitea, branch, commit, waitMs))) {
                ctx.logger.warn(
                  `Gitea has not yet processed the push to ${gitea.owner}/${
                    gitea.name
                  } after ${
                    waitMs / 1000
                  } s: registering it in the catalog may fail until it has`,
                );
              }
              return { commitHash: commit };
            },
          });
          outputGitea(ctx, outputs, commitHash);
          return;
        }

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
            // Whether the repository has no branch yet: only then is HEAD pointed at ours.
            let firstBranch = false;
            if (remote.kind === 'local' && owner) {
              let found = await inspectLocalRemote(remote, options.git);
              if (
                found.state === 'missing' &&
                (await createBareRepository(
                  remote.path,
                  branch,
                  owner,
                  scratch,
                ))
              ) {
                ctx.logger.info(
                  `Created bare repository ${remote.path} for ${owner} (git config ${REPOSITORY_OWNER_KEY})`,
                );
                found = await inspectBareRepository(remote.path);
              } else if (found.state === 'missing') {
                // made by another task meanwhile: its owner decides
                found = await inspectLocalRemote(remote, options.git);
              }
              checkRepositoryOwner(remote.path, found, owner);
              if (found.state === 'bare' && found.recordedOwner === undefined) {
                // an empty repository without an owner: claimed by this project
                await runGit(
                  [
                    '--git-dir',
                    remote.path,
                    'config',
                    REPOSITORY_OWNER_KEY,
                    owner,
                  ],
                  { cwd: scratch },
                );
              }
              firstBranch = found.state === 'bare' && found.empty;
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
            if (remote.kind === 'local' && firstBranch) {
              // an empty repository may point HEAD elsewhere; clones then check out nothing.
              // One with branches keeps its HEAD: its default branch is its owner's choice.
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
        if (remote.kind === 'local') {
          ctx.logger.info(
            `${remote.path} is a bare repository on the backend's disk: it is not registered in the catalog ` +
              '(the catalog reads only URLs of a configured integration, such as a Gitea server of integrations.gitea). ' +
              `Register its catalog-info.yaml by hand, e.g. as a 'type: file' location of a checkout`,
          );
        }
      } finally {
        await fs.rm(scratch, { recursive: true, force: true });
      }
    },
  });
}

/** remoteUrl as given, or `<mlops.git.defaultRemoteBase>/<repoName>.git`; exactly one of them. */
function resolveRemoteUrl(
  input: { remoteUrl?: string; repoName?: string },
  settings: GitSettings,
): string {
  const remoteUrl = input.remoteUrl?.trim();
  const repoName = input.repoName?.trim();
  if (remoteUrl && repoName) {
    throw new InputError(
      `give remoteUrl or repoName, not both (remoteUrl '${remoteUrl}', repoName '${repoName}')`,
    );
  }
  if (remoteUrl) {
    return remoteUrl;
  }
  if (!repoName) {
    throw new InputError(
      'remoteUrl is required (or repoName, for a new repository at mlops.git.defaultRemoteBase)',
    );
  }
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(repoName) || /^\.+$/.test(repoName)) {
    throw new InputError(
      `repoName '${repoName}' must be letters, digits, '-', '_' and '.'`,
    );
  }
  if (!settings.defaultRemoteBase) {
    throw new InputError(
      `repoName '${repoName}' needs mlops.git.defaultRemoteBase (the Git server and organisation new repositories go to), which is not configured; give a remoteUrl instead`,
    );
  }
  return `${settings.defaultRemoteBase}/${repoName.replace(/\.git$/, '')}.git`;
}

interface GiteaOutputs {
  remoteUrl: string;
  repoContentsUrl: string;
  catalogInfoUrl: string;
  repoUrl: string;
}

function giteaOutputs(repo: GiteaRepository, branch: string): GiteaOutputs {
  // the URL shape the Gitea integration's URL reader parses: /<owner>/<repo>/src/branch/<ref>/<path>
  const repoContentsUrl = `${repo.webUrl}/src/branch/${branch
    .split('/')
    .map(encodeURIComponent)
    .join('/')}/`;
  return {
    remoteUrl: repo.cloneUrl,
    repoContentsUrl,
    catalogInfoUrl: `${repoContentsUrl}catalog-info.yaml`,
    repoUrl: repo.webUrl,
  };
}

function outputGitea(
  ctx: { output(name: string, value: string): void },
  outputs: GiteaOutputs,
  commitHash: string,
): void {
  ctx.output('remoteUrl', outputs.remoteUrl);
  ctx.output('repoContentsUrl', outputs.repoContentsUrl);
  ctx.output('catalogInfoUrl', outputs.catalogInfoUrl);
  ctx.output('repoUrl', outputs.repoUrl);
  ctx.output('commitHash', commitHash);
}

function contentsUrl(remote: GitRemote): string {
  return remote.kind === 'local'
    ? `file://${remote.path}`
    : remote.url.replace(/\.git\/?$/, '');
}
