import { modelNameFilter } from './filters';

describe('modelNameFilter', () => {
  it('quotes a plain name with single quotes', () => {
    expect(modelNameFilter('fraud-detector')).toEqual({
      filter: "name = 'fraud-detector'",
      exact: true,
    });
  });

  it('quotes a name with a single quote in double quotes', () => {
    expect(modelNameFilter("bob's model")).toEqual({
      filter: `name = "bob's model"`,
      exact: true,
    });
  });

  it('keeps double quotes inside single quotes', () => {
    expect(modelNameFilter('the "best" model')).toEqual({
      filter: `name = 'the "best" model'`,
      exact: true,
    });
  });

  it('falls back to an inexact LIKE for names no quote can hold', () => {
    expect(modelNameFilter(`bob's "best"`)).toEqual({
      filter: `name LIKE 'bob_s "best"'`,
      exact: false,
    });
    expect(modelNameFilter('back\\slash')).toEqual({
      filter: "name LIKE 'back_slash'",
      exact: false,
    });
  });
});
