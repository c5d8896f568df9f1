import { aVersion, MODEL } from './__testUtils__/lineageFixtures';
import { selectLineageVersions } from './selectLineageVersions';

const versions = ['5', '4', '3', '2', '1'].map(v =>
  aVersion(v, { aliases: v === '4' ? ['champion'] : [] }),
);

describe('selectLineageVersions', () => {
  it('keeps the newest versions up to the cap and counts the rest', () => {
    const selection = selectLineageVersions(MODEL, versions, {}, 3);
    expect(selection).toEqual({ versions: versions.slice(0, 3), capped: 2 });
  });

  it('focuses on a version number', () => {
    expect(selectLineageVersions(MODEL, versions, { version: '2' }, 3)).toEqual(
      {
        versions: [versions[3]],
        capped: 0,
      },
    );
  });

  it('focuses on the version an alias points at', () => {
    expect(
      selectLineageVersions(MODEL, versions, { alias: 'champion' }, 3),
    ).toEqual({
      versions: [versions[1]],
      capped: 0,
    });
  });

  it('says which version or alias the model does not have', () => {
    expect(selectLineageVersions(MODEL, versions, { version: '9' }, 3)).toEqual(
      {
        notFound: 'Model fraud-detector has no version 9',
      },
    );
    expect(
      selectLineageVersions(MODEL, versions, { alias: 'gone' }, 3),
    ).toEqual({
      notFound: 'Model fraud-detector has no alias gone',
    });
  });
});
