import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  canonicalOwnerRef,
  OWNER_KEY,
  OwnershipClaim,
  ownerOfEntity,
} from './ownership';

/**
 * What the owner tag of an MLflow object says about one entity reading it.
 *
 * @public
 */
export type MlflowOwnershipJudgement =
  | { claim: OwnershipClaim }
  | { refused: string };

/**
 * The one config read the rule needs (`@backstage/config`'s Config satisfies it).
 *
 * @public
 */
export interface MlflowOwnershipConfigSource {
  getOptionalBoolean(key: string): boolean | undefined;
}

/**
 * Binds the MLflow objects an entity names (experiments, registered models) to the entity's
 * owner through their `mlstack.io/owner` tag, which the scaffolder writes:
 * - tagged with the entity's owner: `owned`;
 * - tagged with another owner: refused (the entity cannot read another team's runs by naming
 *   its experiment);
 * - not tagged (objects of an existing MLflow server): `unclaimed`, shown with a marker, unless
 *   `mlops.ownership.strict` is true, which refuses them.
 *
 * Shared by the MLStack backend (entity pages) and the catalog module (model entities), so that
 * both apply the same rule.
 *
 * @public
 */
export class MlflowOwnership {
  static fromConfig(config: MlflowOwnershipConfigSource): MlflowOwnership {
    return new MlflowOwnership({
      strict: config.getOptionalBoolean('mlops.ownership.strict') ?? false,
    });
  }

  constructor(private readonly options: { strict: boolean }) {}

  judge(
    what: string,
    tags: Record<string, string> | undefined,
    entity: Entity,
  ): MlflowOwnershipJudgement {
    const entityRef = stringifyEntityRef(entity);
    const expected = ownerOfEntity(entity);
    const value = tags?.[OWNER_KEY]?.trim();
    if (!value) {
      if (this.options.strict) {
        return {
          refused: `${what} has no ${OWNER_KEY} tag, and mlops.ownership.strict refuses unclaimed objects; tag it ${OWNER_KEY}=${
            expected ?? '<owner>'
          } in MLflow to claim it for ${entityRef}`,
        };
      }
      return { claim: 'unclaimed' };
    }
    const found = canonicalOwnerRef(value) ?? value;
    if (expected && found === expected) {
      return { claim: 'owned' };
    }
    return {
      refused: `${what} belongs to ${found} (tag ${OWNER_KEY}), and the owner of ${entityRef} is ${
        expected ?? 'not set'
      }`,
    };
  }
}
