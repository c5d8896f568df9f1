import { ConfigReader } from '@backstage/config';
import { readModelProviderConfig } from './config';

const schedule = { frequency: { minutes: 1 }, timeout: { seconds: 50 } };

describe('readModelProviderConfig', () => {
  it('is off without the key, and with enabled: false', () => {
    expect(readModelProviderConfig(new ConfigReader({}))).toBeUndefined();
    expect(
      readModelProviderConfig(
        new ConfigReader({
          catalog: {
            providers: { mlstackModels: { enabled: false, schedule } },
          },
        }),
      ),
    ).toBeUndefined();
  });

  it('reads the schedule and the bound, 500 by default', () => {
    const read = (extra: object) =>
      readModelProviderConfig(
        new ConfigReader({
          catalog: { providers: { mlstackModels: { schedule, ...extra } } },
        }),
      );
    expect(read({})).toEqual({
      schedule: { frequency: { minutes: 1 }, timeout: { seconds: 50 } },
      maxModels: 500,
    });
    expect(read({ maxModels: 20 })?.maxModels).toBe(20);
  });

  it('names the key of a missing schedule or a bad bound', () => {
    expect(() =>
      readModelProviderConfig(
        new ConfigReader({ catalog: { providers: { mlstackModels: {} } } }),
      ),
    ).toThrow(/catalog\.providers\.mlstackModels\.schedule/);
    expect(() =>
      readModelProviderConfig(
        new ConfigReader({
          catalog: { providers: { mlstackModels: { schedule, maxModels: 0 } } },
        }),
      ),
    ).toThrow(/catalog\.providers\.mlstackModels\.maxModels/);
  });
});
