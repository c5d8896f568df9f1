/**
 * The repository of a `backstage.io/source-location` (`url:https://host/org/repo/tree/main/`)
 * browsed at a commit: `https://host/org/repo/tree/<commit>`. Undefined when the location is
 * not a `url:` location or the commit is not a hex git hash.
 */
export function repositoryAtCommit(
  sourceLocation: string | undefined,
  commit: string,
): string | undefined {
  const location = sourceLocation?.trim();
  if (!location || !/^[0-9a-f]{7,64}$/i.test(commit)) {
    return undefined;
  }
  const url = location.replace(/^url:/, '');
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    return undefined;
  }
  // GitHub/Gitea `/tree|blob/<ref>/…`, GitLab `/-/tree|blob/<ref>/…`, a trailing `.git`.
  const repoPath = parsed.pathname
    .replace(/\/(-\/)?(tree|blob|src)\/.*$/, '')
    .replace(/\.git$/, '')
    .replace(/\/+$/, '');
  if (!repoPath) {
    return undefined;
  }
  return `${parsed.origin}${repoPath}/tree/${commit}`;
}
