import { renderHook } from '@testing-library/react';
import { POLL_INTERVAL_MS, usePolling } from './usePolling';

describe('usePolling', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('refreshes every interval while active and stops when not', () => {
    const refresh = jest.fn();
    const { rerender, unmount } = renderHook(
      ({ active }) => usePolling(active, refresh),
      { initialProps: { active: true } },
    );

    jest.advanceTimersByTime(POLL_INTERVAL_MS * 2 + 10);
    expect(refresh).toHaveBeenCalledTimes(2);

    rerender({ active: false });
    jest.advanceTimersByTime(POLL_INTERVAL_MS * 3);
    expect(refresh).toHaveBeenCalledTimes(2);

    rerender({ active: true });
    jest.advanceTimersByTime(POLL_INTERVAL_MS);
    expect(refresh).toHaveBeenCalledTimes(3);

    unmount();
    jest.advanceTimersByTime(POLL_INTERVAL_MS * 3);
    expect(refresh).toHaveBeenCalledTimes(3);
  });

  it('calls the latest refresh function', () => {
    const first = jest.fn();
    const second = jest.fn();
    const { rerender } = renderHook(({ fn }) => usePolling(true, fn, 1000), {
      initialProps: { fn: first },
    });
    rerender({ fn: second });
    jest.advanceTimersByTime(1000);
    expect(first).not.toHaveBeenCalled();
    expect(second).toHaveBeenCalledTimes(1);
  });
});
