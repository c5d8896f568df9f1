import { InputError } from '@backstage/errors';

/** How many rounds of percent-decoding are looked through (`%252e` is two). */
const MAX_DECODING_ROUNDS = 4;

const PERCENT_ESCAPE = /%[0-9a-f]{2}/i;
/** `.`, `/` and `\` percent-encoded (any case): never needed in a folder path. */
const ENCODED_SEPARATOR_OR_DOT = /%(2e|2f|5c)/i;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;

function decodeOnce(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

function problemOf(text: string): string | undefined {
  if (CONTROL_CHARACTER.test(text)) {
    return 'it has a control character';
  }
  if (text.includes('\\')) {
    return "it has a backslash ('\\')";
  }
  if (ENCODED_SEPARATOR_OR_DOT.test(text)) {
    return "it has a percent-encoded '.', '/' or '\\'";
  }
  if (text.startsWith('/')) {
    return "it starts with '/' (artifact paths are relative to the run's artifact root)";
  }
  const segments = text.split('/');
  if (segments.some(segment => segment === '..')) {
    return "it has a '..' segment";
  }
  if (segments.some(segment => segment === '.')) {
    return "it has a '.' segment";
  }
  // A trailing '/' names the same folder; an empty segment elsewhere is not a folder.
  if (segments.slice(0, -1).some(segment => segment === '')) {
    return "it has an empty segment ('//')";
  }
  return undefined;
}

/**
 * Why an MLflow artifact path (the folder of a run's artifacts to list, relative to the run's
 * artifact root, e.g. `model/data`) is refused, or undefined when it is a plain relative path.
 * Refused: a leading `/`, a backslash, a `..` or `.` segment, an empty segment, a control
 * character, and a percent-encoded `.`, `/` or `\` (`%2e%2e`, `%2E`, and the same encoded
 * again: `%252e`); each further percent-decoding of the path is checked as well, so that no
 * layer that decodes it again can turn it into a path outside the run. The message names the
 * path. The empty path (the root folder) is fine.
 *
 * @public
 */
export function artifactPathProblem(path: string): string | undefined {
  let text = path;
  for (let round = 0; round <= MAX_DECODING_ROUNDS; round++) {
    const problem = problemOf(text);
    if (problem) {
      return `The artifact path '${path}' is refused: ${problem}`;
    }
    if (!PERCENT_ESCAPE.test(text)) {
      return undefined;
    }
    const decoded = decodeOnce(text);
    if (decoded === undefined || decoded === text) {
      return undefined;
    }
    text = decoded;
  }
  return `The artifact path '${path}' is refused: it is percent-encoded more than ${MAX_DECODING_ROUNDS} times`;
}

/** The path when artifactPathProblem finds nothing wrong with it; else an InputError naming it. */
export function assertArtifactPath(path: string): string {
  const problem = artifactPathProblem(path);
  if (problem) {
    throw new InputError(problem);
  }
  return path;
}
