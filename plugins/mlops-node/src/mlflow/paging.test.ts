import { forEachPage, MAX_PAGES } from './paging';
import type { MlflowCall } from './transport';

type Page = { items: number[]; next_page_token?: string };

/** A transport that answers with the given pages in turn and records the page tokens asked for. */
function pagesInTurn(pages: (index: number) => Page) {
  const tokens: Array<string | undefined> = [];
  const transport = {
    call: async <T extends object>(call: MlflowCall): Promise<T> => {
      tokens.push(call.query?.page_token as string | undefined);
      return pages(tokens.length - 1) as unknown as T;
    },
  };
  return { transport, tokens };
}

const callFor = (pageToken: string | undefined): MlflowCall => ({
  method: 'GET',
  path: 'things/search',
  query: { page_token: pageToken },
  idempotent: true,
});

describe('forEachPage', () => {
  it('follows page tokens until the last page', async () => {
    const { transport, tokens } = pagesInTurn(i =>
      i < 2
        ? { items: [i], next_page_token: `t${i + 1}` }
        : { items: [i], next_page_token: '' },
    );
    const items: number[] = [];
    await forEachPage<Page>(transport, callFor, page => {
      items.push(...page.items);
      return true;
    });
    expect(items).toEqual([0, 1, 2]);
    expect(tokens).toEqual([undefined, 't1', 't2']);
  });

  it('stops when the caller has enough', async () => {
    const { transport, tokens } = pagesInTurn(i => ({
      items: [i],
      next_page_token: `t${i + 1}`,
    }));
    await forEachPage<Page>(transport, callFor, page => page.items[0] < 1);
    expect(tokens).toEqual([undefined, 't1']);
  });

  it('stops at a page token it has seen before', async () => {
    const { transport, tokens } = pagesInTurn(() => ({
      items: [],
      next_page_token: 'again',
    }));
    await forEachPage<Page>(transport, callFor, () => true);
    expect(tokens).toEqual([undefined, 'again']);
  });

  it('stops after MAX_PAGES pages', async () => {
    const { transport, tokens } = pagesInTurn(i => ({
      items: [],
      next_page_token: `t${i + 1}`,
    }));
    await forEachPage<Page>(transport, callFor, () => true);
    expect(tokens).toHaveLength(MAX_PAGES);
  });
});
