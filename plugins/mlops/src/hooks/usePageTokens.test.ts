import { act, renderHook } from '@testing-library/react';
import { usePageTokens } from './usePageTokens';

describe('usePageTokens', () => {
  it('walks forward with next tokens and back with the stack', () => {
    const { result } = renderHook(() => usePageTokens('q'));
    expect(result.current).toMatchObject({
      pageToken: undefined,
      pageIndex: 0,
      hasPrevious: false,
    });

    act(() => result.current.next('t2'));
    act(() => result.current.next('t3'));
    expect(result.current).toMatchObject({
      pageToken: 't3',
      pageIndex: 2,
      hasPrevious: true,
    });

    act(() => result.current.previous());
    expect(result.current.pageToken).toBe('t2');
    act(() => result.current.previous());
    expect(result.current).toMatchObject({
      pageToken: undefined,
      pageIndex: 0,
    });
    act(() => result.current.previous());
    expect(result.current.pageIndex).toBe(0);
  });

  it('starts over when the reset key changes', () => {
    const { result, rerender } = renderHook(({ k }) => usePageTokens(k), {
      initialProps: { k: 'filter-a' },
    });
    act(() => result.current.next('t2'));
    expect(result.current.pageIndex).toBe(1);

    rerender({ k: 'filter-b' });
    expect(result.current).toMatchObject({
      pageToken: undefined,
      pageIndex: 0,
    });

    act(() => result.current.next('b2'));
    expect(result.current.pageToken).toBe('b2');
  });
});
