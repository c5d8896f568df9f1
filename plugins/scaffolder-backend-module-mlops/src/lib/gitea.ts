import type { Config } from '@backstage/config';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import { configError } from '@mlstack/plugin-mlops-node';

/**
 * A Gitea server as `integrations.gitea` of `@backstage/integration` describes it: the same
 * entries the catalog's URL reader uses to read the repositories this action creates there.
 */
export interface GiteaTarget {
  /** `host[:port]`, as in the integration (matched against the remote URL's host, port included). */
  host: string;
  /** Without a trailing slash, e.g. `http://127.0.0.1:3001`. */
  baseUrl: string;
  username?: string;
  /** The service account's access token (or password). */
  password?: string;
}

const INTEGRATION_KEY = 'integrations.gitea';

/** `integrations.gitea`, as `@backstage/integration` reads it (host, baseUrl, username, password). */
export function readGiteaTargets(config: Config): GiteaTarget[] {
  const entries = config.getOptionalConfigArray(INTEGRATION_KEY) ?? [];
  return entries.map((entry, index) => {
    const host = entry.getString('host');
    const raw = entry.getOptionalString('baseUrl') ?? `https://${host}`;
    let baseUrl: URL;
    try {
      baseUrl = new URL(raw);
    } catch {
      throw configError(
        `${INTEGRATION_KEY}[${index}].baseUrl`,
        `'${raw}' is not a URL`,
      );
    }
    return {
      host: host.toLowerCase(),
      baseUrl: baseUrl.toString().replace(/\/+$/, ''),
      username: entry.getOptionalString('username') || undefined,
      password: entry.getOptionalString('password')?.trim() || undefined,
    };
  });
}

/** The Gitea integration whose host (with its port) is the remote URL's, if any. */
export function giteaTargetFor(
  remoteUrl: string,
  targets: GiteaTarget[],
): GiteaTarget | undefined {
  const host = new URL(remoteUrl).host.toLowerCase();
  return targets.find(t => t.host === host);
}

/** Gitea's own rule for owner and repository names (alphanumerics, '-', '_', '.'). */
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** A repository on a Gitea server: `<baseUrl>/<owner>/<name>(.git)`. */
export interface GiteaRepository {
  target: GiteaTarget;
  owner: string;
  name: string;
  /** `<baseUrl>/<owner>/<name>.git`: what git pushes to. */
  cloneUrl: string;
  /** `<baseUrl>/<owner>/<name>`: the repository's page. */
  webUrl: string;
}

export function parseGiteaRepository(
  remoteUrl: string,
  target: GiteaTarget,
): GiteaRepository {
  const url = new URL(remoteUrl);
  const base = new URL(target.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const rest = url.pathname.startsWith(`${basePath}/`)
    ? url.pathname.slice(basePath.length + 1)
    : undefined;
  const parts = rest?.replace(/\/+$/, '').split('/') ?? [];
  const owner = parts[0] ?? '';
  const name = (parts[1] ?? '').replace(/\.git$/, '');
  if (
    url.protocol !== base.protocol ||
    parts.length !== 2 ||
    url.search ||
    url.hash ||
    !NAME.test(owner) ||
    !NAME.test(name) ||
    name === '.' ||
    name === '..'
  ) {
    throw new InputError(
      `remoteUrl '${remoteUrl}' is on the Gitea server ${target.baseUrl} (integrations.gitea) but is not ` +
        `${target.baseUrl}/<organisation>/<repository>.git (names of letters, digits, '-', '_' and '.')`,
    );
  }
  const webUrl = `${target.baseUrl}/${owner}/${name}`;
  return { target, owner, name, cloneUrl: `${webUrl}.git`, webUrl };
}

/** The Authorization header for the API, as the integration's URL reader sends it. */
function apiAuthorization(target: GiteaTarget): string {
  const password = requirePassword(target);
  return target.username
    ? `Basic ${Buffer.from(`${target.username}:${password}`).toString(
        'base64',
      )}`
    : `token ${password}`;
}

/**
 * The Authorization header for Git over HTTP: Basic with the token as the password (Gitea
 * authenticates the token's owner; the user name is not checked against it).
 */
export function gitAuthorization(target: GiteaTarget): string {
  const password = requirePassword(target);
  return `Basic ${Buffer.from(
    `${target.username ?? 'mlstack'}:${password}`,
  ).toString('base64')}`;
}

function requirePassword(target: GiteaTarget): string {
  if (!target.password) {
    throw new ServiceUnavailableError(
      `${INTEGRATION_KEY} for host '${target.host}' has no password (the service account's access token); ` +
        'the Gitea server cannot be published to without it',
    );
  }
  return target.password;
}

async function giteaFetch(
  repo: GiteaRepository,
  method: string,
  apiPath: string,
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const url = `${repo.target.baseUrl}/api/v1${apiPath}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method,
      redirect: 'manual',
      headers: {
        Authorization: apiAuthorization(repo.target),
        Accept: 'application/json',
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw new ServiceUnavailableError(
      `Gitea ${
        repo.target.baseUrl
      } could not be reached (${method} ${apiPath}): ${
        (error as Error).cause ?? (error as Error).message
      }`,
    );
  }
  return { status: response.status, text: await response.text() };
}

/** Gitea's JSON error `message`, else the start of the body. */
function giteaMessage(text: string): string {
  try {
    const parsed = JSON.parse(text);
    if (parsed && typeof parsed.message === 'string') {
      return parsed.message;
    }
  } catch {
    // not JSON
  }
  return text.slice(0, 200).trim();
}

/**
 * Creates the repository in its organisation (empty: the push makes its first commit). An
 * existing repository is a ConflictError, an unknown organisation a NotFoundError, a token
 * without the right a NotAllowedError.
 */
export async function createGiteaRepository(
  repo: GiteaRepository,
  options: { description?: string; private: boolean; defaultBranch: string },
): Promise<void> {
  const { status, text } = await giteaFetch(
    repo,
    'POST',
    `/orgs/${encodeURIComponent(repo.owner)}/repos`,
    {
      name: repo.name,
      description: options.description ?? '',
      private: options.private,
      auto_init: false,
      default_branch: options.defaultBranch,
    },
  );
  if (status === 201) {
    return;
  }
  const what = `Gitea repository ${repo.owner}/${repo.name} on ${repo.target.baseUrl}`;
  if (status === 409) {
    throw new ConflictError(
      `${what} already exists (${repo.webUrl}); this action only publishes new repositories: pick another name. Nothing was pushed`,
    );
  }
  if (status === 404) {
    throw new NotFoundError(
      `${what} cannot be created: there is no organisation '${
        repo.owner
      }' on that server (${giteaMessage(text)})`,
    );
  }
  if (status === 401 || status === 403) {
    throw new NotAllowedError(
      `${what} cannot be created: the token of ${INTEGRATION_KEY} for host '${
        repo.target.host
      }' was refused (HTTP ${status}: ${giteaMessage(text)})`,
    );
  }
  if (status === 422) {
    throw new InputError(
      `${what} cannot be created: ${giteaMessage(text)} (HTTP 422)`,
    );
  }
  throw new ServiceUnavailableError(
    `${what} cannot be created: HTTP ${status} ${giteaMessage(text)}`,
  );
}

/** Deletes the repository (one this action just created and could not push to). */
export async function deleteGiteaRepository(
  repo: GiteaRepository,
): Promise<void> {
  const { status, text } = await giteaFetch(
    repo,
    'DELETE',
    `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`,
  );
  if (status !== 204 && status !== 404) {
    throw new Error(`HTTP ${status} ${giteaMessage(text)}`);
  }
}

/**
 * Waits until Gitea has processed a push to `branch` (its push queue updates the repository
 * after git returns: until then the repository reads as empty and its contents as missing,
 * so the catalog could not read it yet). False when that did not happen within `timeoutMs`.
 */
export async function waitForGiteaBranch(
  repo: GiteaRepository,
  branch: string,
  commit: string,
  timeoutMs = 30_000,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [repoInfo, branchInfo] = await Promise.all([
      giteaFetch(
        repo,
        'GET',
        `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(
          repo.name,
        )}`,
      ),
      giteaFetch(
        repo,
        'GET',
        `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(
          repo.name,
        )}/branches/${encodeURIComponent(branch)}`,
      ),
    ]);
    if (repoInfo.status === 200 && branchInfo.status === 200) {
      try {
        const info = JSON.parse(repoInfo.text);
        const tip = JSON.parse(branchInfo.text)?.commit?.id;
        if (info.empty === false && tip === commit) {
          return true;
        }
      } catch {
        // not JSON yet: try again
      }
    }
    if (Date.now() > deadline) {
      return false;
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}
