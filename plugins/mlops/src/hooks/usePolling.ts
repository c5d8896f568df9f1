import { useEffect, useRef } from 'react';

/** How often views of live objects (running workflows) refresh. */
export const POLL_INTERVAL_MS = 5_000;

/**
 * Calls `refresh` every `intervalMs` while `active`; stops as soon as it is not
 * (e.g. when no run on the page is pending or running any more).
 */
export function usePolling(
  active: boolean,
  refresh: () => void,
  intervalMs = POLL_INTERVAL_MS,
) {
  const latest = useRef(refresh);
  latest.current = refresh;
  useEffect(() => {
    if (!active) {
      return undefined;
    }
    const timer = setInterval(() => latest.current(), intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
}
