import type { Entity, EntityRelation } from '@backstage/catalog-model';
import { canonicalOwnerRef, ownerOfEntity } from './ownership';

describe('canonicalOwnerRef', () => {
  it.each([
    ['group:default/ml-team', 'group:default/ml-team'],
    ['Group:default/ML-Team', 'group:default/ml-team'],
    ['ml-team', 'group:default/ml-team'],
    ['user:olive', 'user:default/olive'],
    ['  team/ml  ', 'group:team/ml'],
  ])('%s is %s', (value, expected) => {
    expect(canonicalOwnerRef(value)).toBe(expected);
  });

  it.each([['group:a:b/c'], [''], ['group:default/'], ['a/b/c'], ['-x']])(
    'refuses %j',
    value => {
      expect(canonicalOwnerRef(value)).toBeUndefined();
    },
  );
});

describe('ownerOfEntity', () => {
  const entity = (
    spec: Entity['spec'],
    relations?: EntityRelation[],
  ): Entity => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'x', namespace: 'team-a' },
    spec,
    ...(relations ? { relations } : {}),
  });

  it('takes the ownedBy relation the catalog wrote', () => {
    expect(
      ownerOfEntity(
        entity({ owner: 'ignored' }, [
          { type: 'ownedBy', targetRef: 'group:default/ML-Team' },
        ]),
      ),
    ).toBe('group:default/ml-team');
  });

  it('resolves spec.owner as the catalog does: a Group in the entity namespace', () => {
    expect(ownerOfEntity(entity({ owner: 'ml-team' }))).toBe(
      'group:team-a/ml-team',
    );
    expect(ownerOfEntity(entity({ owner: 'user:default/olive' }))).toBe(
      'user:default/olive',
    );
  });

  it('is undefined without an owner', () => {
    expect(ownerOfEntity(entity({}))).toBeUndefined();
    expect(ownerOfEntity(entity({ owner: '  ' }))).toBeUndefined();
  });
});
