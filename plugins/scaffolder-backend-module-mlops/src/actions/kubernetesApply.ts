// Over 300 lines: one action's ordered steps (load and check the manifests, the initiator must
// own the project, the namespace's recorded owner, a server-side dry run of every object before
// any is applied, checkpointed creates so a retried task does not apply twice) in one handler.
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { OWNER_KEY } from '@mlstack/plugin-mlops-common';
import {
  KubernetesClusters,
  NamespaceOwnershipConfig,
} from '@mlstack/plugin-mlops-node';
import {
  checkNamespaceAllowed,
  checkNamespaceOwner,
  checkSecretTypes,
  checkServiceAccounts,
} from '../lib/applyPolicy';
import { InitiatorPolicy, requireInitiatorOwns } from '../lib/initiator';
import {
  ALLOWED_KINDS,
  KubernetesManifest,
  loadManifests,
  ManifestSource,
  s3CredentialManifests,
} from '../lib/manifests';
import { requireS3Settings, S3Settings } from '../lib/s3';
import {
  AppliedObject,
  FIELD_MANAGER,
  ServerSideApplier,
} from '../lib/serverSideApply';
import type { ScaffolderSettings } from '../lib/settings';
import { normaliseOwnerRef, validateDnsLabel } from '../lib/validation';
import { examples } from './kubernetesApply.examples';

export const KUBERNETES_APPLY_ACTION_ID = 'mlops:kubernetes:apply';

/** Where a dry run validates objects whose namespace does not exist yet (nothing is stored). */
const DRY_RUN_STAND_IN_NAMESPACE = 'default';

function keyOf(manifest: KubernetesManifest): string {
  return `${manifest.apiVersion}/${manifest.kind}/${manifest.metadata.name}`;
}

/**
 * `mlops:kubernetes:apply`: server-side applies a project's manifests (Argo WorkflowTemplates
 * and CronWorkflows, KServe InferenceServices and ServingRuntimes, and their ServiceAccounts,
 * Secrets, ConfigMaps, Roles and RoleBindings) into one namespace of a configured cluster,
 * creating the namespace first (annotated `mlstack.io/owner`); optionally with an S3
 * credentials Secret for KServe. Only into namespaces `mlops.scaffolder.kubernetesApply`
 * allows, that belong to `owner`, for a user who is `owner` or a member of it.
 *
 * @public
 */
export function createKubernetesApplyAction(options: {
  /** The clusters of `mlops.kubernetes`; called on first use, so that a missing kubeconfig does not stop the backend. */
  clusters: () => KubernetesClusters;
  /** `mlops.s3`, for `s3Credentials`. */
  s3?: S3Settings;
  /** `mlops.scaffolder.kubernetesApply`: namespaces, Secret types and service accounts allowed. */
  policy: ScaffolderSettings['kubernetesApply'];
  /** `mlops.ownership.namespaces`: owners of existing namespaces without the owner annotation. */
  ownership: NamespaceOwnershipConfig;
  /** Who may claim a namespace for an owner. */
  initiator: InitiatorPolicy;
}) {
  return createTemplateAction({
    id: KUBERNETES_APPLY_ACTION_ID,
    description: `Server-side applies manifests from the workspace into one namespace (created if missing), as field manager '${FIELD_MANAGER}'. Allowed kinds: ${ALLOWED_KINDS.map(
      k => k.kind,
    ).join(', ')}`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        cluster: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of a configured cluster (mlops.kubernetes.clusters); the first one when absent',
            ),
        namespace: z =>
          z
            .string()
            .describe(
              'Namespace every object goes to (an RFC 1123 label, allowed by mlops.scaffolder.kubernetesApply.namespaces); created if missing, annotated mlstack.io/owner',
            ),
        owner: z =>
          z
            .string()
            .describe(
              "Entity ref of the owner, e.g. 'group:default/ml-team': a new namespace is annotated mlstack.io/owner with it; an existing one must belong to it",
            ),
        manifestPaths: z =>
          z
            .array(z.string())
            .describe(
              'Workspace-relative YAML files, each with one or more documents',
            ),
        s3Credentials: z =>
          z
            .object({
              secretName: z
                .string()
                .describe('Name of the Secret with the mlops.s3 credentials'),
              serviceAccountName: z
                .string()
                .describe(
                  'Name of the ServiceAccount that lists the Secret (for KServe storage access)',
                ),
            })
            .optional()
            .describe(
              'Also apply a Secret with the configured S3 credentials, annotated for KServe, and a ServiceAccount listing it',
            ),
      },
      output: {
        applied: z =>
          z
            .array(
              z.object({
                apiVersion: z.string(),
                kind: z.string(),
                name: z.string(),
                namespace: z.string(),
                result: z.enum(['created', 'configured', 'unchanged']),
              }),
            )
            .describe(
              'Every object, in the order applied, with what happened to it',
            ),
      },
    },
    async handler(ctx) {
      const { namespace, manifestPaths, s3Credentials } = ctx.input;
      validateDnsLabel(namespace, 'namespace');
      const owner = normaliseOwnerRef(ctx.input.owner);
      if (!Array.isArray(manifestPaths)) {
        throw new InputError('manifestPaths must be a list of file paths');
      }
      const sources: ManifestSource[] = await loadManifests(
        ctx.workspacePath,
        manifestPaths,
        namespace,
      );
      // the action's own S3 Secret (Opaque) is added below, unchecked
      checkSecretTypes(sources, options.policy.secretTypes);
      if (s3Credentials) {
        const settings = requireS3Settings(
          options.s3,
          `${KUBERNETES_APPLY_ACTION_ID} with s3Credentials`,
        );
        const credentials = s3CredentialManifests(
          settings,
          namespace,
          s3Credentials,
        );
        for (const credential of credentials) {
          const clash = sources.find(
            s => keyOf(s.manifest) === keyOf(credential.manifest),
          );
          if (clash) {
            throw new InputError(
              `${clash.origin}: ${credential.manifest.kind} '${credential.manifest.metadata.name}' is also made by ${credential.origin}; rename one of them`,
            );
          }
        }
        // right after the Namespace, before whatever uses them
        const at = sources.findIndex(s => s.manifest.kind !== 'Namespace');
        sources.splice(at < 0 ? sources.length : at, 0, ...credentials);
      }
      if (sources.length === 0) {
        throw new InputError(
          'Nothing to apply: manifestPaths has no objects and s3Credentials is not set',
        );
      }
      checkServiceAccounts(sources, options.policy.serviceAccounts);
      const namespaceSource = sources.find(
        s => s.manifest.kind === 'Namespace',
      );
      const ownerAnnotation = (
        namespaceSource?.manifest.metadata.annotations as
          | Record<string, unknown>
          | undefined
      )?.[OWNER_KEY];
      if (
        ownerAnnotation !== undefined &&
        (typeof ownerAnnotation !== 'string' ||
          normaliseOwnerRef(ownerAnnotation, OWNER_KEY) !== owner)
      ) {
        throw new InputError(
          `${
            namespaceSource!.origin
          }: Namespace '${namespace}' is annotated ${OWNER_KEY}=${String(
            ownerAnnotation,
          )}, but this step's owner is ${owner}; leave the annotation out (the owner input sets it)`,
        );
      }

      const cluster = options.clusters().get(ctx.input.cluster);
      checkNamespaceAllowed(options.policy.namespaces, cluster.name, namespace);
      await requireInitiatorOwns(
        ctx,
        options.initiator,
        owner,
        `apply into namespace '${namespace}' on cluster '${cluster.name}'`,
      );
      const applier = new ServerSideApplier(cluster, {
        dryRun: Boolean(ctx.isDryRun),
      });
      const namespaceRef: KubernetesManifest = {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      };
      const claim = checkNamespaceOwner({
        existing: await applier.read(namespaceRef),
        owner,
        cluster: cluster.name,
        namespace,
        ownership: options.ownership,
      });
      const exists = claim.state !== 'absent';
      const objects = sources.filter(s => s !== namespaceSource);
      const namespaceObject: AppliedObject = {
        apiVersion: 'v1',
        kind: 'Namespace',
        name: namespace,
        namespace,
        result: 'unchanged',
      };
      const givenNamespace: KubernetesManifest = namespaceSource?.manifest ?? {
        apiVersion: 'v1',
        kind: 'Namespace',
        metadata: { name: namespace },
      };
      const namespaceManifest: KubernetesManifest = {
        ...givenNamespace,
        metadata: {
          ...givenNamespace.metadata,
          annotations: {
            ...(givenNamespace.metadata.annotations as
              | Record<string, string>
              | undefined),
            [OWNER_KEY]: owner,
          },
        },
      };
      const applied: AppliedObject[] = [];
      const report = (object: AppliedObject) => {
        applied.push(object);
        ctx.logger.info(
          `${ctx.isDryRun ? 'Dry run: ' : ''}${object.kind} '${
            object.name
          }' in namespace '${object.namespace}' on cluster '${cluster.name}': ${
            object.result
          }`,
        );
      };

      if (ctx.isDryRun) {
        report(
          exists && !namespaceSource
            ? namespaceObject
            : await applier.apply(namespaceManifest),
        );
        let standIn: string | undefined;
        if (!exists) {
          if (await applier.namespaceExists(DRY_RUN_STAND_IN_NAMESPACE)) {
            standIn = DRY_RUN_STAND_IN_NAMESPACE;
            ctx.logger.info(
              `Dry run: namespace '${namespace}' does not exist yet; the objects are validated in namespace '${standIn}' instead (nothing is stored)`,
            );
          } else {
            ctx.logger.warn(
              `Dry run: neither namespace '${namespace}' nor '${DRY_RUN_STAND_IN_NAMESPACE}' exists; the objects are not validated by the API server`,
            );
          }
        }
        for (const { manifest } of objects) {
          if (exists) {
            report(await applier.apply(manifest));
          } else {
            if (standIn) {
              await applier.apply(manifest, standIn).catch(error => {
                // an object of that name in the stand-in namespace owned by someone else
                if (!ConflictError.is(error)) {
                  throw error;
                }
              });
            }
            report({
              apiVersion: manifest.apiVersion,
              kind: manifest.kind,
              name: manifest.metadata.name,
              namespace,
              result: 'created',
            });
          }
        }
        ctx.output('applied', applied);
        return;
      }

      const prefix = `mlops.kubernetes.apply.${cluster.name}.${namespace}`;
      report(
        await ctx.checkpoint({
          key: `${prefix}.namespace`,
          fn: async () => {
            if (exists) {
              return namespaceSource
                ? applier.apply(namespaceManifest)
                : namespaceObject;
            }
            // Absent when read: a plain create, which fails (409) instead of rewriting a
            // namespace another task made meanwhile; then whoever made it, it must be the
            // owner's (read again) before anything is applied into it.
            const created = await applier.createNamespace(namespace, {
              [OWNER_KEY]: owner,
            });
            const now = checkNamespaceOwner({
              existing: await applier.read(namespaceRef),
              owner,
              cluster: cluster.name,
              namespace,
              ownership: options.ownership,
            });
            if (now.state === 'absent') {
              throw new ConflictError(
                `Namespace '${namespace}' on cluster '${cluster.name}' was deleted right after it was created; run the task again`,
              );
            }
            if (!created) {
              ctx.logger.info(
                `Namespace '${namespace}' on cluster '${cluster.name}' was created meanwhile by another task, for ${owner}; using it`,
              );
              return namespaceSource
                ? applier.apply(namespaceManifest)
                : namespaceObject;
            }
            // the Namespace manifest's labels and annotations, as field manager mlstack-scaffolder
            const result = await applier.apply(namespaceManifest);
            return { ...result, result: 'created' as const };
          },
        }),
      );
      for (const { manifest } of objects) {
        report(
          await ctx.checkpoint({
            key: `${prefix}.${keyOf(manifest)}`,
            fn: () => applier.apply(manifest),
          }),
        );
      }
      ctx.output('applied', applied);
    },
  });
}
