import { InputError } from '@backstage/errors';
import { artifactPathProblem, assertArtifactPath } from './artifactPath';

describe('artifactPathProblem', () => {
  it.each([
    [''],
    ['model'],
    ['model/data'],
    ['model/data/'],
    ['.hidden'],
    ['model/..data'],
    ['model/data..'],
    ['a b/c-d_e.f'],
    ['100%'],
    ['50%25 done'],
  ])('accepts %j', path => {
    expect(artifactPathProblem(path)).toBeUndefined();
    expect(assertArtifactPath(path)).toBe(path);
  });

  it.each([
    ['..', "'..' segment"],
    ['../other-run', "'..' segment"],
    ['model/../../etc', "'..' segment"],
    ['model/..', "'..' segment"],
    ['./model', "'.' segment"],
    ['model/./data', "'.' segment"],
    ['/etc/passwd', "starts with '/'"],
    ['/', "starts with '/'"],
    ['model\\..\\..\\x', 'backslash'],
    ['model\\data', 'backslash'],
    ['model//data', 'empty segment'],
    ['model\u0000', 'control character'],
    // Express decodes the query once: these arrived encoded twice or more.
    ['%2e%2e/x', "percent-encoded '.'"],
    ['%2E%2E', "percent-encoded '.'"],
    ['model/%2E', "percent-encoded '.'"],
    ['model%2f..%2f..', "percent-encoded '.'"],
    ['%5c', "percent-encoded '.'"],
    ['%252e%252e/x', "percent-encoded '.'"],
    ['%25252E%25252E', "percent-encoded '.'"],
    ['%2F', "percent-encoded '.'"],
    ['%25%32%65%25%32%65', "percent-encoded '.'"],
    ['%2525252525252e', 'more than 4 times'],
  ])('refuses %j (%s)', (path, reason) => {
    const problem = artifactPathProblem(path);
    expect(problem).toContain(`The artifact path '${path}' is refused`);
    expect(problem).toContain(reason);
    expect(() => assertArtifactPath(path)).toThrow(InputError);
    expect(() => assertArtifactPath(path)).toThrow(`'${path}'`);
  });
});
