/** `metadata.labels` of a Kubernetes object as the API server sent it, or none. */
export function labelsOf(object: unknown): Record<string, string> {
  const labels = (object as { metadata?: { labels?: unknown } })?.metadata
    ?.labels;
  return typeof labels === 'object' && labels !== null
    ? (labels as Record<string, string>)
    : {};
}

/** `metadata.name`, or "". */
export function nameOf(object: unknown): string {
  const name = (object as { metadata?: { name?: unknown } })?.metadata?.name;
  return typeof name === 'string' ? name : '';
}

/** `metadata.creationTimestamp` (RFC 3339, so it sorts as text), or "". */
export function creationOf(object: unknown): string {
  const time = (object as { metadata?: { creationTimestamp?: unknown } })
    ?.metadata?.creationTimestamp;
  return typeof time === 'string' ? time : '';
}

/** `metadata.annotations` of a Kubernetes object as the API server sent it, or none. */
export function annotationsOf(object: unknown): Record<string, string> {
  const annotations = (object as { metadata?: { annotations?: unknown } })
    ?.metadata?.annotations;
  return typeof annotations === 'object' && annotations !== null
    ? (annotations as Record<string, string>)
    : {};
}
