import {
  Entity,
  getCompoundEntityRef,
  parseEntityRef,
  RELATION_OWNED_BY,
  stringifyEntityRef,
} from '@backstage/catalog-model';

/**
 * The key that records which catalog entity (a Group or User) owns something outside the
 * catalog, as a full lower-case entity ref such as `group:default/ml-team`:
 * - the `mlstack.io/owner` tag of an S3 bucket, an MLflow experiment or registered model;
 * - the `mlstack.io/owner` annotation of a Kubernetes Namespace (an annotation, not a label:
 *   a label value cannot hold `:` or `/`).
 * The scaffolder actions write it; the backend reads it to bind an entity's scope to its owner.
 *
 * @public
 */
export const OWNER_KEY = 'mlstack.io/owner';

/**
 * Annotation of a WorkflowTemplate naming the parameters a portal user may set when submitting
 * it, as a JSON object from parameter name to a regular expression the whole value must match,
 * e.g. `{"epochs": "^[0-9]{1,4}$", "data-version": "^[a-f0-9]{7,40}$"}`. Parameters with an
 * `enum` in the template are submittable too (the value must be one of the enum). Every other
 * parameter keeps the template's value.
 *
 * @public
 */
export const SUBMITTABLE_PARAMETERS_ANNOTATION =
  'mlstack.io/submittable-parameters';

const KIND = /^[A-Za-z][A-Za-z0-9-]{0,62}$/;
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

/**
 * The owner ref as stored in an `mlstack.io/owner` tag or annotation: full and lower-case, so
 * `group:ml-team`, `Group:default/ML-Team` and `group:default/ml-team` compare equal. Undefined
 * when the value is not an entity ref.
 *
 * @public
 */
export function canonicalOwnerRef(
  value: string,
  context?: { defaultKind?: string; defaultNamespace?: string },
): string | undefined {
  let ref;
  try {
    ref = parseEntityRef(value.trim(), {
      defaultKind: context?.defaultKind ?? 'group',
      defaultNamespace: context?.defaultNamespace ?? 'default',
    });
  } catch {
    return undefined;
  }
  if (
    !KIND.test(ref.kind) ||
    !NAME.test(ref.namespace) ||
    !NAME.test(ref.name)
  ) {
    return undefined;
  }
  return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
}

/**
 * The owner of a catalog entity, as a full lower-case ref: its `ownedBy` relation when the
 * catalog has processed it, else its `spec.owner` resolved as the catalog resolves it (kind
 * Group, the entity's namespace). Undefined for an entity without an owner.
 *
 * @public
 */
export function ownerOfEntity(entity: Entity): string | undefined {
  const relation = entity.relations?.find(r => r.type === RELATION_OWNED_BY);
  if (relation) {
    return relation.targetRef.toLocaleLowerCase('en-US');
  }
  const owner = entity.spec?.owner;
  if (typeof owner !== 'string' || !owner.trim()) {
    return undefined;
  }
  return canonicalOwnerRef(owner, {
    defaultNamespace: getCompoundEntityRef(entity).namespace,
  });
}

/**
 * Who an object outside the catalog belongs to, as the backend found it: `owned` when its
 * owner tag or annotation names the entity's owner, `unclaimed` when it carries none (an
 * existing MLflow server's objects; allowed unless `strict` ownership is configured).
 *
 * @public
 */
export type OwnershipClaim = 'owned' | 'unclaimed';
