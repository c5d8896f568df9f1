import { repositoryAtCommit } from './repositoryAtCommit';

const commit = '3f2a9c1d4e5b6a7980112233445566778899aabb';

describe('repositoryAtCommit', () => {
  it.each([
    [
      'url:https://github.com/acme/fraud-detector/tree/main/',
      'https://github.com/acme/fraud-detector',
    ],
    [
      'url:https://github.com/acme/fraud-detector',
      'https://github.com/acme/fraud-detector',
    ],
    [
      'https://gitlab.example.com/ml/fraud/-/tree/main/src',
      'https://gitlab.example.com/ml/fraud',
    ],
    [
      'url:https://git.example.com/ml/fraud.git',
      'https://git.example.com/ml/fraud',
    ],
  ])('browses %s at the commit', (location, repo) => {
    expect(repositoryAtCommit(location, commit)).toBe(`${repo}/tree/${commit}`);
  });

  it.each([
    [undefined, commit],
    ['file:/tmp/repo', commit],
    ['url:not a url', commit],
    ['url:https://github.com/acme/fraud-detector', 'main; rm -rf'],
  ])('links nothing for location %s and commit %s', (location, sha) => {
    expect(repositoryAtCommit(location, sha)).toBeUndefined();
  });
});
