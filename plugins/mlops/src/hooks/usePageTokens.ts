import { useCallback, useState } from 'react';

export interface PageTokens {
  /** Token of the page to show; undefined for the first page. */
  pageToken: string | undefined;
  /** Zero-based index of the page shown. */
  pageIndex: number;
  hasPrevious: boolean;
  /** Moves to the page after the one shown, given the token the server returned. */
  next(nextPageToken: string): void;
  previous(): void;
}

/**
 * Paging over an API that only hands out next-page tokens: keeps the tokens of
 * the pages seen so far as a stack. Starts over on the first page whenever
 * `resetKey` changes (a new filter, sort or page size).
 */
export function usePageTokens(resetKey: string): PageTokens {
  const [state, setState] = useState<{
    key: string;
    stack: Array<string | undefined>;
  }>({ key: resetKey, stack: [undefined] });

  const stack = state.key === resetKey ? state.stack : [undefined];

  const next = useCallback(
    (token: string) =>
      setState(s => ({
        key: resetKey,
        stack: [...(s.key === resetKey ? s.stack : [undefined]), token],
      })),
    [resetKey],
  );
  const previous = useCallback(
    () =>
      setState(s => ({
        key: resetKey,
        stack:
          s.key === resetKey && s.stack.length > 1
            ? s.stack.slice(0, -1)
            : [undefined],
      })),
    [resetKey],
  );

  return {
    pageToken: stack[stack.length - 1],
    pageIndex: stack.length - 1,
    hasPrevious: stack.length > 1,
    next,
    previous,
  };
}
