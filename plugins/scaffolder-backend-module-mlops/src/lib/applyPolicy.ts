import { InputError, NotAllowedError } from '@backstage/errors';
import {
  OWNER_KEY,
  canonicalOwnerRef,
  isDns1123Subdomain,
} from '@mlstack/plugin-mlops-common';
import type { NamespaceOwnershipConfig } from '@mlstack/plugin-mlops-node';
import { parse } from 'yaml';
import { describeManifest, ManifestSource } from './manifests';
import { APPLY_CONFIG_KEY, NamespaceRule } from './settings';

/**
 * What `mlops:kubernetes:apply` may write, beyond the kinds of `ALLOWED_KINDS`: which
 * namespaces, which Secret types, which service accounts pods may run as, and whose namespace.
 */

/** Refuses a namespace that no `mlops.scaffolder.kubernetesApply.namespaces` rule allows. */
export function checkNamespaceAllowed(
  rules: NamespaceRule[] | undefined,
  cluster: string,
  namespace: string,
): void {
  const key = `${APPLY_CONFIG_KEY}.namespaces`;
  if (!rules || rules.length === 0) {
    throw new NotAllowedError(
      `mlops:kubernetes:apply may not write to namespace '${namespace}' on cluster '${cluster}': no namespaces are allowed (configure ${key}, e.g. [{ cluster: '${cluster}', patterns: ['ml-*'] }])`,
    );
  }
  const forCluster = rules.filter(
    r => r.cluster === undefined || r.cluster === cluster,
  );
  if (forCluster.some(r => r.matchers.some(m => m.test(namespace)))) {
    return;
  }
  const patterns = forCluster.flatMap(r => r.patterns);
  throw new NotAllowedError(
    `mlops:kubernetes:apply may not write to namespace '${namespace}' on cluster '${cluster}': ${
      patterns.length > 0
        ? `it matches none of the allowed patterns ${patterns
            .map(p => `'${p}'`)
            .join(', ')}`
        : 'no namespace patterns are configured for that cluster'
    } (${key})`,
  );
}

/**
 * Refuses a Secret whose type is neither `Opaque` (the default) nor listed in
 * `secretTypes`: e.g. a `kubernetes.io/service-account-token` Secret would mint a token of any
 * service account of the namespace.
 */
export function checkSecretTypes(
  sources: ManifestSource[],
  secretTypes: string[],
): void {
  const allowed = new Set(['Opaque', ...secretTypes]);
  for (const { manifest, origin } of sources) {
    if (manifest.kind !== 'Secret') {
      continue;
    }
    const type = manifest.type ?? 'Opaque';
    if (typeof type !== 'string' || !allowed.has(type)) {
      throw new NotAllowedError(
        `${origin}: ${describeManifest(manifest)} has type '${String(
          type,
        )}'; allowed Secret types are ${[...allowed]
          .map(t => `'${t}'`)
          .join(', ')} (${APPLY_CONFIG_KEY}.secretTypes)`,
      );
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A reference to a service account found in a manifest: where, and which name. */
interface AccountReference {
  path: string;
  name: unknown;
}

/**
 * Every field that names the service account a pod (or Argo's executor, or its artifact
 * garbage collection) runs as: `serviceAccountName` (and the pods' deprecated alias
 * `serviceAccount`) at any depth, which covers a WorkflowTemplate's and CronWorkflow's
 * `spec[.workflowSpec].serviceAccountName`, `.executor.serviceAccountName`,
 * `.artifactGC.serviceAccountName`, `templates[].serviceAccountName` and `templateDefaults`, and
 * an InferenceService's `predictor`, `transformer` and `explainer`; and the pod patches of Argo
 * (`podSpecPatch`, a string parsed here; one with an Argo expression `{{...}}` is refused, as
 * its value is only known when the workflow runs). Strings other than podSpecPatch (an Argo `resource`
 * manifest) are not searched: what they create is limited by the pipeline's own role.
 */
function accountReferences(
  value: unknown,
  path: string,
  found: AccountReference[],
): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      accountReferences(item, `${path}[${index}]`, found),
    );
    return;
  }
  if (!isPlainObject(value)) {
    return;
  }
  for (const [key, child] of Object.entries(value)) {
    const childPath = path ? `${path}.${key}` : key;
    if (key === 'serviceAccountName' || key === 'serviceAccount') {
      found.push({ path: childPath, name: child });
    } else if (key === 'podSpecPatch' && typeof child === 'string') {
      let patch: unknown;
      try {
        patch = child.includes('{{') ? undefined : parse(child);
      } catch {
        patch = undefined;
      }
      if (!isPlainObject(patch)) {
        throw new NotAllowedError(
          `${childPath} is not a literal pod spec patch (it holds an Argo expression, or is not a YAML object), so the service account its pods run as cannot be checked`,
        );
      }
      accountReferences(patch, `${childPath}(parsed)`, found);
    } else {
      accountReferences(child, childPath, found);
    }
  }
}

/**
 * Refuses a manifest that runs pods as (or binds a Role to) a service account that this same
 * apply does not create and `mlops.scaffolder.kubernetesApply.serviceAccounts` does not list:
 * a template must not borrow the identity, and so the rights, of another project's account in
 * a shared namespace. A name must be literal (an Argo expression such as
 * `{{workflow.parameters.sa}}` would let whoever submits the workflow pick the account).
 */
export function checkServiceAccounts(
  sources: ManifestSource[],
  allowedAccounts: string[],
): void {
  const created = new Set(
    sources
      .filter(s => s.manifest.kind === 'ServiceAccount')
      .map(s => s.manifest.metadata.name),
  );
  const allowed = new Set([...created, ...allowedAccounts]);
  const describeAllowed = () =>
    `the ServiceAccounts this step creates (${
      [...created].map(n => `'${n}'`).join(', ') || 'none'
    }) or ${APPLY_CONFIG_KEY}.serviceAccounts (${
      allowedAccounts.map(n => `'${n}'`).join(', ') || 'none'
    })`;
  for (const { manifest, origin } of sources) {
    const references: AccountReference[] = [];
    if (manifest.kind === 'RoleBinding') {
      const subjects = Array.isArray(manifest.subjects)
        ? manifest.subjects
        : [];
      subjects.forEach((subject, index) =>
        references.push({
          path: `subjects[${index}].name`,
          name: isPlainObject(subject) ? subject.name : undefined,
        }),
      );
    } else if (manifest.kind !== 'ServiceAccount') {
      const { apiVersion: _a, kind: _k, metadata: _m, ...body } = manifest;
      accountReferences(body, '', references);
    }
    for (const { path, name } of references) {
      if (typeof name !== 'string' || !isDns1123Subdomain(name)) {
        throw new InputError(
          `${origin}: ${describeManifest(manifest)} ${path} is '${String(
            name,
          )}', not the literal name of a ServiceAccount`,
        );
      }
      if (!allowed.has(name)) {
        throw new NotAllowedError(
          `${origin}: ${describeManifest(
            manifest,
          )} ${path} names ServiceAccount '${name}', which is neither created by this step nor allowed; allowed are ${describeAllowed()}`,
        );
      }
    }
  }
}

/** What the namespace's owner check found. */
export type NamespaceClaim =
  | { state: 'absent' }
  | { state: 'owned' }
  | { state: 'configured' };

/**
 * Whether `owner` may apply into the namespace: one that does not exist yet (it is created
 * with the owner annotation); one whose `mlstack.io/owner` annotation names the owner; or one
 * without the annotation that `mlops.ownership.namespaces` lists for the owner on this
 * cluster. Anything else is a NotAllowedError naming the namespace and both owners.
 */
export function checkNamespaceOwner(options: {
  existing: { metadata?: { annotations?: Record<string, string> } } | undefined;
  owner: string;
  cluster: string;
  namespace: string;
  ownership: NamespaceOwnershipConfig;
}): NamespaceClaim {
  const { existing, owner, cluster, namespace, ownership } = options;
  if (!existing) {
    return { state: 'absent' };
  }
  const where = `Namespace '${namespace}' on cluster '${cluster}'`;
  const annotated = existing.metadata?.annotations?.[OWNER_KEY];
  if (annotated !== undefined) {
    if (canonicalOwnerRef(annotated) === owner) {
      return { state: 'owned' };
    }
    throw new NotAllowedError(
      `${where} belongs to ${annotated} (annotation ${OWNER_KEY}), not to ${owner}; pick another namespace`,
    );
  }
  const configured = ownership.ownerOf(cluster, namespace);
  if (configured === owner) {
    return { state: 'configured' };
  }
  if (configured) {
    throw new NotAllowedError(
      `${where} belongs to ${configured} (mlops.ownership.namespaces), not to ${owner}; pick another namespace`,
    );
  }
  throw new NotAllowedError(
    `${where} already exists without an ${OWNER_KEY} annotation, so it was not made for ${owner}; ` +
      `pick another namespace, or list it for ${owner} in mlops.ownership.namespaces (or annotate it ${OWNER_KEY}=${owner})`,
  );
}
