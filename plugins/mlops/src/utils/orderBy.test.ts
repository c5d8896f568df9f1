import { DEFAULT_RUN_SORT, toOrderByClause } from './orderBy';

describe('toOrderByClause', () => {
  it('builds MLflow order clauses', () => {
    expect(toOrderByClause(DEFAULT_RUN_SORT)).toBe(
      'attributes.start_time DESC',
    );
    expect(
      toOrderByClause({
        field: { type: 'metric', key: 'accuracy' },
        direction: 'DESC',
      }),
    ).toBe('metrics.`accuracy` DESC');
    expect(
      toOrderByClause({
        field: { type: 'param', key: 'lr' },
        direction: 'ASC',
      }),
    ).toBe('params.`lr` ASC');
    expect(
      toOrderByClause({
        field: { type: 'metric', key: 'train/loss at `5`' },
        direction: 'ASC',
      }),
    ).toBe('metrics.`train/loss at 5` ASC');
  });
});
