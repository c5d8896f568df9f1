import { ConfigReader } from '@backstage/config';
import { readConfigName, readNamedList, readServiceUrl } from './configReaders';

describe('config readers', () => {
  const entries = (...names: string[]) =>
    names.map(name => new ConfigReader({ name }));

  it('reads a named list and refuses a name used twice, naming both keys', () => {
    const read = (list: ConfigReader[]) =>
      readNamedList(list, 'mlops.things', 'add one', (c, key) => ({
        name: readConfigName(c, key),
      }));
    expect(read(entries('a', 'b'))).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(() => read(entries('a', 'b', 'a'))).toThrow(
      "Invalid config at 'mlops.things[2].name': the name 'a' is already used by mlops.things[0]",
    );
    expect(() => read([])).toThrow("Invalid config at 'mlops.things': add one");
    expect(() => read(entries('has space'))).toThrow(
      "Invalid config at 'mlops.things[0].name': 'has space' must start with a letter or digit",
    );
  });

  it('accepts http(s) URLs without credentials, query or fragment', () => {
    expect(readServiceUrl('https://mlflow.example.com/', 'k', 'a token')).toBe(
      'https://mlflow.example.com',
    );
    expect(() => readServiceUrl('https://u:p@h', 'k', 'a token')).toThrow(
      'use a token instead',
    );
    expect(() => readServiceUrl('https://h/?x=1', 'k', 'a token')).toThrow(
      'must not have a query or a fragment',
    );
    expect(() => readServiceUrl('not a url', 'k', 'a token')).toThrow(
      "'not a url' is not a valid URL",
    );
  });
});
