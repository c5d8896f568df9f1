/**
 * Kubernetes name rules, once (see k8s.io/apimachinery/pkg/util/validation).
 */

const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
const DNS1123_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function labelProblem(
  name: string,
  maxLength: number,
  pattern: RegExp,
  rule: string,
): string | undefined {
  if (name.length === 0) {
    return 'must not be empty';
  }
  if (name.length > maxLength) {
    return `is ${name.length} characters long; at most ${maxLength} are allowed`;
  }
  return pattern.test(name) ? undefined : rule;
}

/**
 * Why `name` is not a DNS-1035 label (lowercase letters, digits and '-', starting with a letter,
 * ending with a letter or digit) of at most `maxLength` characters; undefined when it is.
 *
 * @public
 */
export function dns1035LabelProblem(
  name: string,
  maxLength = 63,
): string | undefined {
  return labelProblem(
    name,
    maxLength,
    DNS1035_LABEL,
    "must be a DNS-1035 label: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit",
  );
}

/**
 * As dns1035LabelProblem, for a DNS-1123 label (it may start with a digit).
 *
 * @public
 */
export function dns1123LabelProblem(
  name: string,
  maxLength = 63,
): string | undefined {
  return labelProblem(
    name,
    maxLength,
    DNS1123_LABEL,
    "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit",
  );
}

/**
 * Whether `name` is a DNS-1123 label (lowercase letters, digits and '-', starting and ending
 * with a letter or digit) of at most `maxLength` characters: namespaces, container names.
 *
 * @public
 */
export function isDns1123Label(name: string, maxLength = 63): boolean {
  return name.length <= maxLength && DNS1123_LABEL.test(name);
}

/**
 * Whether `name` is a DNS-1123 subdomain (DNS-1123 labels joined by '.') of at most
 * `maxLength` characters: the names of most Kubernetes objects, label key prefixes.
 *
 * @public
 */
export function isDns1123Subdomain(name: string, maxLength = 253): boolean {
  return name.length <= maxLength && DNS1123_SUBDOMAIN.test(name);
}

/**
 * The longest InferenceService name KServe accepts: its Deployments and Services are named
 * `<name>-predictor` (and `<name>-<canary>-predictor`), which must stay DNS labels.
 *
 * @public
 */
export const INFERENCE_SERVICE_NAME_MAX_LENGTH = 45;
