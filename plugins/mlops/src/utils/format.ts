const dateTimeFormat = new Intl.DateTimeFormat(undefined, {
  dateStyle: 'medium',
  timeStyle: 'short',
});

/** Epoch milliseconds as a local date and time; an em dash when absent. */
export function formatTimestamp(ms: number | undefined): string {
  return ms === undefined ? '—' : dateTimeFormat.format(new Date(ms));
}

/** A duration as `1h 2m`, `3m 4s`, `12s` or `850ms`. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || ms < 0) {
    return '—';
  }
  if (ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  if (hours > 0) {
    return `${hours}h ${minutes}m`;
  }
  if (minutes > 0) {
    return `${minutes}m ${seconds}s`;
  }
  return `${seconds}s`;
}

/** A metric value with at most 4 significant digits after rounding noise. */
export function formatMetric(value: number | undefined): string {
  if (value === undefined || value === null) {
    return '—';
  }
  if (!Number.isFinite(value)) {
    return String(value);
  }
  if (Number.isInteger(value) && Math.abs(value) < 1e9) {
    return String(value);
  }
  const abs = Math.abs(value);
  if (abs !== 0 && (abs >= 1e6 || abs < 1e-4)) {
    return value.toExponential(3);
  }
  return String(Number(value.toPrecision(4)));
}

/** A byte count as `512 B`, `20.0 KiB`, `1.0 MiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) {
    return '';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The first 7 characters of a git commit sha. */
export function shortSha(sha: string | undefined): string | undefined {
  return sha?.slice(0, 7);
}

/** The first 8 characters of an MLflow id, for compact display. */
export function shortId(id: string): string {
  return id.length > 8 ? id.slice(0, 8) : id;
}

/** An RFC 3339 time as epoch ms; undefined when absent or unparseable. */
export function parseTime(time: string | undefined): number | undefined {
  if (!time) {
    return undefined;
  }
  const ms = Date.parse(time);
  return Number.isNaN(ms) ? undefined : ms;
}

/** An RFC 3339 time as a local date and time; an em dash when absent. */
export function formatTime(time: string | undefined): string {
  return formatTimestamp(parseTime(time));
}

/**
 * How long something took: `durationMs` once it finished, else the time since
 * `startedAt` (a live duration, given the current time).
 */
export function elapsedMs(
  item: { startedAt?: string; finishedAt?: string; durationMs?: number },
  now: number,
): number | undefined {
  if (item.durationMs !== undefined) {
    return item.durationMs;
  }
  const started = parseTime(item.startedAt);
  const finished = parseTime(item.finishedAt);
  if (started === undefined) {
    return undefined;
  }
  return (finished ?? now) - started;
}
