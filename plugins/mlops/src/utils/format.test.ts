import {
  elapsedMs,
  formatBytes,
  formatTime,
  parseTime,
  formatDuration,
  formatMetric,
  formatTimestamp,
  shortSha,
} from './format';

describe('format', () => {
  it('formats durations', () => {
    expect(formatDuration(undefined)).toBe('—');
    expect(formatDuration(850)).toBe('850ms');
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(125_000)).toBe('2m 5s');
    expect(formatDuration(3_720_000)).toBe('1h 2m');
  });

  it('formats metric values', () => {
    expect(formatMetric(0.93123456)).toBe('0.9312');
    expect(formatMetric(42)).toBe('42');
    expect(formatMetric(12345678.9)).toBe('1.235e+7');
    expect(formatMetric(0.00001234)).toBe('1.234e-5');
    expect(formatMetric(undefined)).toBe('—');
    expect(formatMetric(NaN)).toBe('NaN');
  });

  it('formats bytes, shas and timestamps', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(20480)).toBe('20.0 KiB');
    expect(formatBytes(1_048_576)).toBe('1.0 MiB');
    expect(shortSha('0f1e2d3c4b5a6978')).toBe('0f1e2d3');
    expect(formatTimestamp(undefined)).toBe('—');
    expect(formatTimestamp(Date.UTC(2025, 4, 12))).toMatch(/2025/);
  });
});

describe('time helpers', () => {
  it('parses and formats RFC 3339 times', () => {
    expect(parseTime('2024-10-01T04:27:23Z')).toBe(
      Date.UTC(2024, 9, 1, 4, 27, 23),
    );
    expect(parseTime(undefined)).toBeUndefined();
    expect(parseTime('not a time')).toBeUndefined();
    expect(formatTime(undefined)).toBe('—');
    expect(formatTime('2024-10-01T04:27:23Z')).toMatch(/2024/);
  });

  it('takes the duration, else the time since the start', () => {
    const start = '2024-10-01T04:27:23Z';
    const t0 = Date.UTC(2024, 9, 1, 4, 27, 23);
    expect(elapsedMs({ durationMs: 5 }, t0)).toBe(5);
    expect(elapsedMs({ startedAt: start }, t0 + 65_000)).toBe(65_000);
    expect(
      elapsedMs({ startedAt: start, finishedAt: '2024-10-01T04:27:33Z' }, 0),
    ).toBe(10_000);
    expect(elapsedMs({}, t0)).toBeUndefined();
  });
});
