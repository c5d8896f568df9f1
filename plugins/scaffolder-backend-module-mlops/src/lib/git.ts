import type { Config } from '@backstage/config';
import {
  InputError,
  NotAllowedError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { isChildPath } from '@backstage/backend-plugin-api';
import { configError } from '@mlstack/plugin-mlops-node';
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const GIT_CONFIG_KEY = 'mlops.git';
const GIT_TIMEOUT_MS = 120_000;

/** `mlops.git`, validated. */
export interface GitSettings {
  /** Absolute, normalised directories under which local bare repositories may be written. */
  allowedRoots: string[];
  /** Lower-case host names of the http(s) remotes that may be pushed to; none when absent. */
  allowedHosts?: string[];
  /**
   * Where a repository given only by name (`repoName`) is created: `<this>/<name>.git`, e.g. a
   * Gitea organisation's URL `http://127.0.0.1:3001/mlstack`. None when absent.
   */
  defaultRemoteBase?: string;
}

/** A DNS host name or an IPv4 address (no port, no scheme). */
const HOST_NAME =
  /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)*$/;

export function readGitSettings(config: Config): GitSettings {
  const key = `${GIT_CONFIG_KEY}.allowedRoots`;
  const roots = config.getOptionalStringArray(key) ?? [];
  const hostsKey = `${GIT_CONFIG_KEY}.allowedHosts`;
  const hosts = config.getOptionalStringArray(hostsKey) ?? [];
  const baseKey = `${GIT_CONFIG_KEY}.defaultRemoteBase`;
  const base = config.getOptionalString(baseKey)?.trim();
  let defaultRemoteBase: string | undefined;
  if (base) {
    let url: URL | undefined;
    try {
      url = new URL(base);
    } catch {
      url = undefined;
    }
    if (
      !url ||
      (url.protocol !== 'http:' && url.protocol !== 'https:') ||
      url.username ||
      url.password ||
      url.search ||
      url.hash
    ) {
      throw configError(
        baseKey,
        `'${base}' must be an http(s) URL without credentials, e.g. http://127.0.0.1:3001/mlstack (a Gitea organisation)`,
      );
    }
    defaultRemoteBase = url.toString().replace(/\/+$/, '');
  }
  return {
    defaultRemoteBase,
    allowedRoots: roots.map((root, index) => {
      if (!path.isAbsolute(root)) {
        throw configError(
          `${key}[${index}]`,
          `'${root}' must be an absolute directory path`,
        );
      }
      return path.resolve(root);
    }),
    allowedHosts: hosts.map((host, index) => {
      const name = host.trim().toLowerCase();
      if (name.length > 253 || !HOST_NAME.test(name)) {
        throw configError(
          `${hostsKey}[${index}]`,
          `'${host}' must be a host name such as 'git.example.com' (no scheme, port or path)`,
        );
      }
      return name;
    }),
  };
}

/** Where the action pushes: a bare repository on the backend's disk, or an http(s) Git server. */
export type GitRemote =
  | { kind: 'local'; path: string; url: string }
  | { kind: 'http'; url: string };

/**
 * Parses the remote URL: an absolute path or `file://` URL of a bare repository, or an http(s)
 * URL without credentials. Other transports (ssh, git, ext::…) are refused.
 */
export function parseGitRemote(remoteUrl: string): GitRemote {
  const value = remoteUrl.trim();
  if (value.startsWith('/') || value.startsWith('file:')) {
    let local: string;
    try {
      local = value.startsWith('file:') ? fileURLToPath(value) : value;
    } catch {
      throw new InputError(
        `remoteUrl '${remoteUrl}' is not a valid file:// URL`,
      );
    }
    const resolved = path.resolve(local);
    return { kind: 'local', path: resolved, url: resolved };
  }
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InputError(
      `remoteUrl '${remoteUrl}' must be an absolute path or file:// URL of a bare repository, or an http(s) URL`,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InputError(
      `remoteUrl '${remoteUrl}': only local paths, file:// and http(s) remotes are supported, not ${url.protocol}`,
    );
  }
  if (url.username || url.password) {
    throw new InputError(
      'remoteUrl must not carry credentials (they would end up in logs and task state)',
    );
  }
  return { kind: 'http', url: url.toString() };
}

/**
 * Refuses (NotAllowedError) an http(s) remote whose host is not one of `mlops.git.allowedHosts`
 * (any port), so that a template cannot push a project's contents to any server the backend
 * reaches. git follows no redirects (runGit), so the host checked is the host contacted.
 */
export function checkHttpRemoteAllowed(
  remote: Extract<GitRemote, { kind: 'http' }>,
  settings: GitSettings,
): void {
  const key = `${GIT_CONFIG_KEY}.allowedHosts`;
  const host = new URL(remote.url).hostname.toLowerCase();
  const allowed = settings.allowedHosts ?? [];
  if (allowed.includes(host)) {
    return;
  }
  throw new NotAllowedError(
    `remoteUrl '${
      remote.url
    }': host '${host}' is not an allowed Git host (${key}: ${
      allowed.length > 0 ? allowed.join(', ') : 'none configured'
    })`,
  );
}

/** The deepest existing ancestor of a path, with symlinks resolved, plus what lies below it. */
async function realpathOfNearest(target: string): Promise<string> {
  const missing: string[] = [];
  for (let dir = target; ; dir = path.dirname(dir)) {
    try {
      return path.join(await fs.realpath(dir), ...missing.reverse());
    } catch {
      if (path.dirname(dir) === dir) {
        return target;
      }
      missing.push(path.basename(dir));
    }
  }
}

/**
 * Refuses a local repository path that is not inside one of the allowed roots (symlinks
 * resolved), so that a template cannot write anywhere on the backend's disk.
 */
export async function checkLocalRemoteAllowed(
  remote: Extract<GitRemote, { kind: 'local' }>,
  settings: GitSettings,
): Promise<void> {
  if (settings.allowedRoots.length === 0) {
    throw new InputError(
      `remoteUrl '${remote.path}' is a local repository, but no '${GIT_CONFIG_KEY}.allowedRoots' are configured for local remotes`,
    );
  }
  const real = await realpathOfNearest(remote.path);
  for (const root of settings.allowedRoots) {
    const realRoot = await realpathOfNearest(root);
    if (real !== realRoot && isChildPath(realRoot, real)) {
      return;
    }
  }
  throw new InputError(
    `remoteUrl '${
      remote.path
    }' is not inside an allowed directory for local repositories (${GIT_CONFIG_KEY}.allowedRoots: ${settings.allowedRoots.join(
      ', ',
    )})`,
  );
}

export class GitCommandError extends Error {
  constructor(
    message: string,
    readonly stderr: string,
    readonly exitCode: number | string | undefined,
  ) {
    super(message);
    this.name = 'GitCommandError';
  }
}

/**
 * Runs git (no shell) with a clean configuration: no system or global config, no prompts, only
 * the file and http(s) transports, and no http redirects (a remote could send the push to
 * another host than the allowed one it was checked as).
 */
export function runGit(
  args: string[],
  options: { cwd: string; env?: Record<string, string> },
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: 16 * 1024 * 1024,
        env: {
          PATH: process.env.PATH ?? '/usr/bin:/bin',
          HOME: options.cwd,
          GIT_CONFIG_NOSYSTEM: '1',
          GIT_CONFIG_GLOBAL: '/dev/null',
          GIT_TERMINAL_PROMPT: '0',
          GIT_ALLOW_PROTOCOL: 'file:http:https',
          GIT_CONFIG_COUNT: '1',
          GIT_CONFIG_KEY_0: 'http.followRedirects',
          GIT_CONFIG_VALUE_0: 'false',
          LC_ALL: 'C',
          ...options.env,
        },
      },
      (error, stdout, stderr) => {
        if (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === 'ENOENT') {
            reject(
              new ServiceUnavailableError(
                'git is not installed on the backend (no git on PATH)',
              ),
            );
            return;
          }
          reject(
            new GitCommandError(
              `git ${args.find(a => !a.startsWith('-')) ?? ''} failed: ${
                String(stderr).trim() || error.message
              }`,
              String(stderr),
              code,
            ),
          );
          return;
        }
        resolve(String(stdout).trim());
      },
    );
  });
}
