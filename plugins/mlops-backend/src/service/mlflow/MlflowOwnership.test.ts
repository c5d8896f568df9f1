import { ConfigReader } from '@backstage/config';
import { MlflowOwnership } from './MlflowOwnership';

const entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'fraud-detector', namespace: 'default' },
  spec: { owner: 'ml-team' },
};

describe('MlflowOwnership', () => {
  const lenient = new MlflowOwnership({ strict: false });
  const strict = new MlflowOwnership({ strict: true });

  it('owns an object tagged with the entity owner, however the ref is written', () => {
    for (const tag of [
      'group:default/ml-team',
      'Group:default/ML-Team',
      'ml-team',
    ]) {
      expect(
        lenient.judge("Experiment 'x'", { 'mlstack.io/owner': tag }, entity),
      ).toEqual({ claim: 'owned' });
    }
  });

  it('refuses an object of another owner, naming both', () => {
    expect(
      lenient.judge(
        "Experiment 'x'",
        { 'mlstack.io/owner': 'group:default/risk-team' },
        entity,
      ),
    ).toEqual({
      refused:
        "Experiment 'x' belongs to group:default/risk-team (tag mlstack.io/owner), and the owner of component:default/fraud-detector is group:default/ml-team",
    });
  });

  it('marks an untagged object unclaimed, or refuses it in strict mode', () => {
    expect(lenient.judge("Experiment 'x'", {}, entity)).toEqual({
      claim: 'unclaimed',
    });
    expect(strict.judge("Experiment 'x'", { other: 'tag' }, entity)).toEqual({
      refused:
        "Experiment 'x' has no mlstack.io/owner tag, and mlops.ownership.strict refuses unclaimed objects; tag it mlstack.io/owner=group:default/ml-team in MLflow to claim it for component:default/fraud-detector",
    });
  });

  it('refuses a tagged object to an entity without an owner', () => {
    const ownerless = { ...entity, spec: {} };
    expect(
      lenient.judge(
        "Experiment 'x'",
        { 'mlstack.io/owner': 'group:default/ml-team' },
        ownerless,
      ),
    ).toEqual({
      refused: expect.stringContaining('is not set'),
    });
  });

  it('reads strict mode from mlops.ownership.strict', () => {
    const fromConfig = MlflowOwnership.fromConfig(
      new ConfigReader({ mlops: { ownership: { strict: true } } }),
    );
    expect(fromConfig.judge("Experiment 'x'", {}, entity)).toHaveProperty(
      'refused',
    );
    expect(
      MlflowOwnership.fromConfig(new ConfigReader({})).judge(
        "Experiment 'x'",
        {},
        entity,
      ),
    ).toEqual({ claim: 'unclaimed' });
  });
});
