import { nonEmpty } from './normalise';
import type { MlflowCall, MlflowTransport } from './transport';

/** A guard against a server that keeps handing out page tokens. */
export const MAX_PAGES = 1000;

/**
 * Calls page after page while `onPage` returns true and MLflow hands out a new page token;
 * stops at a token it has seen before, and after MAX_PAGES pages.
 */
export async function forEachPage<T extends { next_page_token?: string }>(
  transport: Pick<MlflowTransport, 'call'>,
  callFor: (pageToken: string | undefined) => MlflowCall,
  onPage: (page: T) => boolean,
): Promise<void> {
  const seenTokens = new Set<string>();
  let pageToken: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const response = await transport.call<T>(callFor(pageToken));
    const wantMore = onPage(response);
    pageToken = nonEmpty(response.next_page_token);
    if (!wantMore || !pageToken || seenTokens.has(pageToken)) {
      return;
    }
    seenTokens.add(pageToken);
  }
}
