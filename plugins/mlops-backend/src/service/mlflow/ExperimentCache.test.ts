import { ExperimentCache } from './ExperimentCache';

const experiment = (id: string, name: string) => ({
  experimentId: id,
  name,
  lifecycleStage: 'active',
  tags: {},
  uiUrl: `http://mlflow/#/experiments/${id}`,
});

describe('ExperimentCache', () => {
  it('returns what was stored, per instance, until it expires', () => {
    let now = 1_000;
    const cache = new ExperimentCache(500, 10, () => now);
    cache.set('default', 'fraud', experiment('1', 'fraud'));
    cache.set('default', 'gone', null);

    expect(cache.get('default', 'fraud')?.experimentId).toBe('1');
    expect(cache.get('default', 'gone')).toBeNull();
    expect(cache.get('other', 'fraud')).toBeUndefined();

    now += 500;
    expect(cache.get('default', 'fraud')).toBeUndefined();
  });

  it('drops the oldest entry when full', () => {
    const cache = new ExperimentCache(60_000, 2);
    cache.set('default', 'a', experiment('1', 'a'));
    cache.set('default', 'b', experiment('2', 'b'));
    cache.set('default', 'c', experiment('3', 'c'));
    expect(cache.get('default', 'a')).toBeUndefined();
    expect(cache.get('default', 'b')?.experimentId).toBe('2');
    expect(cache.get('default', 'c')?.experimentId).toBe('3');
  });
});
