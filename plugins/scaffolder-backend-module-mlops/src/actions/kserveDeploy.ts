// Over 300 lines: the action's input schema, its ordered checks (permission, owner, target,
// service account, namespace, model) and the audited apply belong to one handler; splitting
// the checks out is tracked with the layout issue.
import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
  BackstageCredentials,
  BackstageUserPrincipal,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  canonicalOwnerRef,
  DEPLOY_MODES,
  DEPLOYED_FOR_ANNOTATION,
  DeployMode,
  DeployResources,
  DeploySource,
  dns1035LabelProblem,
  INFERENCE_SERVICE_NAME_MAX_LENGTH,
  isDns1123Subdomain,
  KSERVE_SERVICE_ACCOUNT_ANNOTATION,
  kserveServiceDeployPermission,
  KUBERNETES_ID_LABEL,
  OWNER_KEY,
} from '@mlstack/plugin-mlops-common';
import {
  ConfiguredDeployTarget,
  DEPLOY_TARGETS_CONFIG_KEY,
  KubernetesCluster,
  KubernetesClusters,
  MlflowClient,
  MlflowInstances,
  ModelDeployer,
  ModelOrigin,
  NamespaceOwnershipConfig,
  parseInferenceService,
} from '@mlstack/plugin-mlops-node';
import { checkNamespaceOwner } from '../lib/applyPolicy';
import { InitiatorPolicy, requireInitiatorOwns } from '../lib/initiator';
import { normaliseOwnerRef, validateDnsLabel } from '../lib/validation';
import { examples } from './kserveDeploy.examples';

export const KSERVE_DEPLOY_ACTION_ID = 'mlops:kserve:deploy';

/** What the action uses of the deploy core (ModelDeployer); a test may stand in for it. */
export type KserveDeployer = Pick<
  ModelDeployer,
  'readService' | 'resolveModel' | 'deploy' | 'retag'
>;

/** The audit event of a deploy (eventId `kserve-deploy`, as the backend's deploy route records it). */
export const KSERVE_DEPLOY_AUDIT_EVENT = 'kserve-deploy';

/** What the checkpoint keeps of a deploy, so that a retried task does not apply it again. */
type AppliedDeploy = {
  action: 'create' | 'replace' | 'canary';
  resourceVersion?: string;
  url?: string;
  mlflowTags: { written: string[]; removed: string[]; failed: string[] };
};

type AuditMeta = NonNullable<AuditorServiceCreateEventOptions['meta']>;
type JsonValue = NonNullable<AuditMeta[string]> | null;

/** A dry run of the task records no audit event: its stand-in. */
const NO_AUDIT: AuditorServiceEvent = {
  success: async () => undefined,
  fail: async () => undefined,
};

const QUANTITY = /^[0-9]+(\.[0-9]+)?(m|k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/;

/** The source input as the deploy core's DeploySource; InputError unless exactly one form is given. */
function deploySource(input: {
  modelName?: string;
  version?: string | number;
  alias?: string;
  loggedModelId?: string;
}): DeploySource {
  const modelName = input.modelName?.trim();
  const version =
    input.version === undefined ? undefined : String(input.version).trim();
  const alias = input.alias?.trim();
  const loggedModelId = input.loggedModelId?.trim();
  if (loggedModelId) {
    if (modelName || version || alias) {
      throw new InputError(
        'source: give either loggedModelId, or modelName with version or alias, not both',
      );
    }
    return { type: 'loggedModel', modelId: loggedModelId };
  }
  if (!modelName) {
    throw new InputError(
      'source: give modelName with version or alias, or loggedModelId',
    );
  }
  if (version && alias) {
    throw new InputError(
      `source: give a version or an alias of '${modelName}', not both`,
    );
  }
  if (version) {
    if (!/^[1-9][0-9]*$/.test(version)) {
      throw new InputError(
        `source.version '${version}' is not a model version number`,
      );
    }
    return { type: 'modelVersion', modelName, version };
  }
  if (alias) {
    return { type: 'modelAlias', modelName, alias };
  }
  throw new InputError(
    `source: give the version or the alias of '${modelName}' to deploy`,
  );
}

function describeSource(source: DeploySource): string {
  switch (source.type) {
    case 'modelVersion':
      return `version ${source.version} of registered model '${source.modelName}'`;
    case 'modelAlias':
      return `registered model '${source.modelName}' @${source.alias}`;
    default:
      return `logged model '${source.modelId}'`;
  }
}

function checkResources(resources: DeployResources | undefined) {
  for (const [key, value] of Object.entries(resources ?? {})) {
    if (value !== undefined && !QUANTITY.test(String(value))) {
      throw new InputError(
        `resources.${key} '${value}' is not a Kubernetes quantity such as '500m', '1' or '512Mi'`,
      );
    }
  }
}

function userOf(credentials: BackstageCredentials): string | undefined {
  const principal = credentials.principal as Partial<BackstageUserPrincipal> & {
    type?: string;
  };
  return principal.type === 'user' ? principal.userEntityRef : undefined;
}

/** Who started the task, as messages name it. */
function initiatorName(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user') {
    return `User ${principal.userEntityRef ?? 'unknown'}`;
  }
  if (principal.type === 'service') {
    return `Service '${principal.subject ?? 'unknown'}'`;
  }
  return 'An anonymous caller';
}

/** Who started the task, for the audit record: a user ref, `service:<subject>` or `none`. */
function initiatorRef(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  if (principal.type === 'user' && principal.userEntityRef) {
    return principal.userEntityRef;
  }
  if (principal.type === 'service') {
    return `service:${principal.subject ?? 'unknown'}`;
  }
  return 'none';
}

/** An object as the audit trail keeps it: without managedFields (noise, not state). */
function forAudit(object: unknown): JsonValue {
  if (!object || typeof object !== 'object') {
    return (object ?? null) as JsonValue;
  }
  const { metadata, ...rest } = object as {
    metadata?: Record<string, unknown>;
  };
  const { managedFields: _managed, ...kept } = metadata ?? {};
  return { ...rest, metadata: kept } as JsonValue;
}

/**
 * Refuses an MLflow object whose `mlstack.io/owner` tag names another owner, or that has no
 * such tag when `strict`; `what` names it for the message.
 */
function checkOwnerTag(
  what: string,
  tags: Record<string, string> | undefined,
  owner: string,
  strict: boolean,
  warn: (message: string) => void,
): void {
  const value = tags?.[OWNER_KEY]?.trim();
  if (!value) {
    if (strict) {
      throw new NotAllowedError(
        `${what} has no ${OWNER_KEY} tag, and mlops.ownership.strict refuses unclaimed models; tag it ${OWNER_KEY}=${owner} in MLflow to deploy it for ${owner}`,
      );
    }
    warn(
      `${what} has no ${OWNER_KEY} tag (an unclaimed model); deploying it for ${owner}`,
    );
    return;
  }
  const found = canonicalOwnerRef(value) ?? value;
  if (found !== owner) {
    throw new NotAllowedError(
      `${what} belongs to ${found} (tag ${OWNER_KEY}), not to ${owner}; deploy only models of the project's owner`,
    );
  }
}

/**
 * `mlops:kserve:deploy`: deploys an MLflow model (a registered version, by number or alias, or
 * a run's logged model) to KServe as an InferenceService: a new service, a full rollout of an
 * existing one, or a canary beside its current model. Only to a namespace that
 * `mlops.deploy.targets` lists and that belongs to `owner` (annotation `mlstack.io/owner`, or
 * `mlops.ownership.namespaces`), only a model tagged for `owner` (or untagged, unless
 * `mlops.ownership.strict`), only for a user who is `owner` or a member of it and whom the
 * permission policy allows `mlops.kserve.service.deploy` on the entity, and only over a service
 * of the same entity (annotation `mlstack.io/entity-ref`). The service account is the target's,
 * or `serviceAccountName` when the target allows it. The object is checked by a server-side dry
 * run first; in a dry run of the task nothing else happens. A real deploy is audited
 * (`kserve-deploy`), refusals included.
 *
 * @public
 */
export function createKserveDeployAction(options: {
  /** The clusters of `mlops.kubernetes`; called on first use. */
  clusters: () => KubernetesClusters;
  mlflow: MlflowInstances;
  /** `mlops.deploy.targets` (readDeployTargets). */
  targets: ConfiguredDeployTarget[];
  /** `mlops.ownership.namespaces`: owners of existing namespaces without the owner annotation. */
  ownership: NamespaceOwnershipConfig;
  /** `mlops.ownership.strict`: refuse models without an owner tag. */
  strictOwnership: boolean;
  /** Who may deploy for an owner. */
  initiator: InitiatorPolicy;
  /** `coreServices.permissions`: decides `mlops.kserve.service.deploy` on the entity. */
  permissions: PermissionsService;
  /** `coreServices.auditor`: records every real deploy, refusals included. */
  auditor: AuditorService;
  /** The deploy core for a cluster and MLflow instance; ModelDeployer by default. */
  deployer?: (deps: {
    mlflow: MlflowClient;
    cluster: KubernetesCluster;
  }) => KserveDeployer;
}) {
  const makeDeployer =
    options.deployer ?? (deps => new ModelDeployer(deps) as KserveDeployer);
  return createTemplateAction({
    id: KSERVE_DEPLOY_ACTION_ID,
    description:
      'Deploys an MLflow model version (by number or alias) or logged model to KServe as an InferenceService (create, full rollout or canary), into a namespace of mlops.deploy.targets that belongs to the owner',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        entityRef: z =>
          z
            .string()
            .describe(
              "The ML project's catalog entity, e.g. 'component:default/fraud-detector'; the service is labelled for it",
            ),
        owner: z =>
          z
            .string()
            .describe(
              "Entity ref of the project's owner, e.g. 'group:default/ml-team' (the entity's spec.owner): the namespace and the model must belong to it, and the user must be it or a member of it",
            ),
        source: z =>
          z
            .object({
              modelName: z
                .string()
                .optional()
                .describe('Registered model name (with version or alias)'),
              version: z
                .union([z.string(), z.number()])
                .optional()
                .describe('Version number of the registered model'),
              alias: z
                .string()
                .optional()
                .describe("Alias of the registered model, e.g. 'champion'"),
              loggedModelId: z
                .string()
                .optional()
                .describe("A run's logged model id (MLflow 3), e.g. 'm-…'"),
            })
            .describe(
              'What to deploy: modelName with version or alias, or loggedModelId',
            ),
        cluster: z =>
          z
            .string()
            .describe(
              'Name of a configured cluster (mlops.kubernetes.clusters) listed in mlops.deploy.targets',
            ),
        namespace: z =>
          z
            .string()
            .describe(
              "Namespace of the InferenceService: listed for the cluster in mlops.deploy.targets, and the owner's",
            ),
        serviceName: z =>
          z
            .string()
            .describe(
              `Name of the InferenceService: a DNS-1035 label of at most ${INFERENCE_SERVICE_NAME_MAX_LENGTH} characters`,
            ),
        mode: z =>
          z
            .enum(['Standard', 'Knative'])
            .optional()
            .describe(
              "KServe deployment mode; the target's first allowed mode when absent",
            ),
        runtime: z =>
          z
            .string()
            .optional()
            .describe(
              "A KServe ClusterServingRuntime, e.g. 'kserve-sklearnserver'; by the model's MLflow flavor when absent",
            ),
        canaryTrafficPercent: z =>
          z
            .number()
            .int()
            .min(0)
            .max(99)
            .optional()
            .describe(
              '0 (default) replaces the served model; 1-99 starts a canary with that share of traffic. A new service takes 100 %',
            ),
        resources: z =>
          z
            .object({
              cpuRequest: z.string().optional(),
              cpuLimit: z.string().optional(),
              memoryRequest: z.string().optional(),
              memoryLimit: z.string().optional(),
            })
            .optional()
            .describe(
              "The predictor's requests and limits, e.g. '100m', '1Gi'",
            ),
        minReplicas: z =>
          z
            .number()
            .int()
            .min(0)
            .optional()
            .describe('Minimum replicas (0 lets Knative scale to zero)'),
        maxReplicas: z =>
          z.number().int().min(1).optional().describe('Maximum replicas'),
        mlflowInstance: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of a configured MLflow instance (mlops.mlflow.instances); the default instance when absent',
            ),
        serviceAccountName: z =>
          z
            .string()
            .optional()
            .describe(
              `The service account the predictor runs as (the entity's ${KSERVE_SERVICE_ACCOUNT_ANNOTATION} annotation): the target's serviceAccountName or one of its serviceAccountNames (${DEPLOY_TARGETS_CONFIG_KEY}); the target's serviceAccountName when empty`,
            ),
      },
      output: {
        serviceName: z => z.string().describe('Name of the InferenceService'),
        namespace: z => z.string().describe('Its namespace'),
        action: z =>
          z
            .enum(['create', 'replace', 'canary'])
            .describe('create (new service), replace (full rollout) or canary'),
        storageUri: z =>
          z.string().describe("The model's storage URI, as KServe reads it"),
        modelVersion: z =>
          z
            .string()
            .optional()
            .describe(
              'The registered model version deployed (absent for a logged model)',
            ),
        url: z =>
          z
            .string()
            .optional()
            .describe("The service's URL, when KServe has reported one"),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      // 1. The input, before anything is read.
      const entityRef = canonicalOwnerRef(input.entityRef, {
        defaultKind: 'component',
      });
      if (!entityRef) {
        throw new InputError(
          `entityRef '${input.entityRef}' is not an entity ref like 'component:default/fraud-detector'`,
        );
      }
      const owner = normaliseOwnerRef(input.owner);
      const serviceName = input.serviceName.trim();
      const nameProblem = dns1035LabelProblem(
        serviceName,
        INFERENCE_SERVICE_NAME_MAX_LENGTH,
      );
      if (nameProblem) {
        throw new InputError(`serviceName '${serviceName}' ${nameProblem}`);
      }
      const namespace = input.namespace.trim();
      validateDnsLabel(namespace, 'namespace');
      const source = deploySource(input.source ?? {});
      const canaryTrafficPercent = input.canaryTrafficPercent ?? 0;
      if (
        !Number.isInteger(canaryTrafficPercent) ||
        canaryTrafficPercent < 0 ||
        canaryTrafficPercent > 99
      ) {
        throw new InputError(
          `canaryTrafficPercent must be a whole number from 0 to 99, not ${canaryTrafficPercent}`,
        );
      }
      // a template renders an empty form field as '' (or leaves it out): both mean "not set"
      const runtime = input.runtime?.trim() || undefined;
      const mlflowInstance = input.mlflowInstance?.trim() || undefined;
      const requestedAccount = input.serviceAccountName?.trim() || undefined;
      if (
        requestedAccount !== undefined &&
        !isDns1123Subdomain(requestedAccount)
      ) {
        throw new InputError(
          `serviceAccountName '${requestedAccount}' is not a service account name (a DNS-1123 subdomain)`,
        );
      }
      const resources = Object.fromEntries(
        Object.entries(input.resources ?? {})
          .map(([key, value]) => [key, String(value ?? '').trim()])
          .filter(([, value]) => value !== ''),
      ) as DeployResources;
      checkResources(resources);
      const hasResources = Object.keys(resources).length > 0;
      const { minReplicas, maxReplicas } = input;
      if (
        minReplicas !== undefined &&
        maxReplicas !== undefined &&
        minReplicas > maxReplicas
      ) {
        throw new InputError(
          `minReplicas (${minReplicas}) must not exceed maxReplicas (${maxReplicas})`,
        );
      }
      const clusterName = input.cluster.trim();

      // 2. The audit event of a real deploy starts before any check, so that a refusal is
      // recorded as a failure too. A dry run of the task stores nothing and records nothing.
      const credentials = await ctx.getInitiatorCredentials();
      const actor = userOf(credentials);
      const event = ctx.isDryRun
        ? NO_AUDIT
        : await options.auditor.createEvent({
            eventId: KSERVE_DEPLOY_AUDIT_EVENT,
            severityLevel: 'medium',
            meta: {
              entityRef,
              service: serviceName,
              namespace,
              cluster: clusterName,
              source: { ...source },
              mode: input.mode || null,
              canaryTrafficPercent,
              // no request carries the task's user to the auditor: the record names it
              initiator: initiatorRef(credentials),
              taskId: ctx.task?.id ?? null,
            },
          });
      try {
        // 3. Who: the permission policy must allow the task's user to deploy the entity's
        // models, and the user must be the owner or a member of it.
        const [decision] = await options.permissions.authorize(
          [
            {
              permission: kserveServiceDeployPermission,
              resourceRef: entityRef,
            },
          ],
          { credentials },
        );
        if (decision.result !== 'ALLOW') {
          throw new NotAllowedError(
            `${initiatorName(credentials)} may not ${
              kserveServiceDeployPermission.name
            } on ${entityRef}: the permission policy denies it (it allows it to the entity's owner and its members, and to the admin groups); nothing was deployed`,
          );
        }
        await requireInitiatorOwns(
          ctx,
          options.initiator,
          owner,
          `deploy ${describeSource(
            source,
          )} to namespace '${namespace}' on cluster '${clusterName}'`,
        );

        // 4. Where: a configured target, in a mode and with a service account it allows.
        const target = options.targets.find(
          t => t.cluster === clusterName && t.namespace === namespace,
        );
        if (!target) {
          throw new NotAllowedError(
            `${KSERVE_DEPLOY_ACTION_ID} may not deploy to namespace '${namespace}' on cluster '${clusterName}': it is not a deploy target (${DEPLOY_TARGETS_CONFIG_KEY} lists ${
              options.targets
                .map(t => `${t.cluster}/${t.namespace}`)
                .join(', ') || 'none'
            })`,
          );
        }
        const mode: DeployMode = input.mode || target.modes[0];
        if (!DEPLOY_MODES.includes(mode) || !target.modes.includes(mode)) {
          throw new InputError(
            `Deploy target ${clusterName}/${namespace} allows ${target.modes.join(
              ', ',
            )} mode, not ${mode} (${DEPLOY_TARGETS_CONFIG_KEY})`,
          );
        }
        const serviceAccountName =
          requestedAccount ?? target.serviceAccountName;
        if (requestedAccount !== undefined) {
          const allowed = new Set([
            ...(target.serviceAccountName ? [target.serviceAccountName] : []),
            ...(target.serviceAccountNames ?? []),
          ]);
          if (!allowed.has(requestedAccount)) {
            throw new NotAllowedError(
              `Deploy target ${clusterName}/${namespace} does not allow service account '${requestedAccount}' (${KSERVE_SERVICE_ACCOUNT_ANNOTATION} of ${entityRef}): ${
                allowed.size > 0
                  ? `it allows ${[...allowed].join(', ')}`
                  : 'it allows none besides KServe’s default'
              } (${DEPLOY_TARGETS_CONFIG_KEY} serviceAccountName and serviceAccountNames); nothing was deployed`,
            );
          }
        }

        // 5. The namespace must exist and be the owner's.
        const cluster = options.clusters().get(clusterName);
        const metadata = await cluster.readNamespaceMetadata(namespace);
        if (!metadata) {
          throw new NotAllowedError(
            `Namespace '${namespace}' does not exist on cluster '${cluster.name}'; a deploy does not create namespaces (the ml-project template's mlops:kubernetes:apply step makes it, annotated ${OWNER_KEY}=${owner})`,
          );
        }
        checkNamespaceOwner({
          existing: { metadata },
          owner,
          cluster: cluster.name,
          namespace,
          ownership: options.ownership,
        });

        // 6. An existing service must be the entity's own (annotation mlstack.io/entity-ref).
        const client = options.mlflow.get(mlflowInstance);
        const deployer = makeDeployer({ mlflow: client, cluster });
        const existing = await deployer.readService(namespace, serviceName);
        const what = `InferenceService '${serviceName}' in namespace '${namespace}' on cluster '${cluster.name}'`;
        let expectedResourceVersion: string | null = null;
        if (existing) {
          const annotations = (
            existing as { metadata?: { annotations?: Record<string, string> } }
          ).metadata?.annotations;
          const deployedFor = annotations?.[DEPLOYED_FOR_ANNOTATION]?.trim();
          const deployedForRef = deployedFor
            ? canonicalOwnerRef(deployedFor, { defaultKind: 'component' }) ??
              deployedFor
            : undefined;
          if (deployedForRef !== entityRef) {
            throw new NotAllowedError(
              `${what} belongs to ${
                deployedForRef
                  ? `${deployedForRef} (annotation ${DEPLOYED_FOR_ANNOTATION})`
                  : `no portal entity (it has no ${DEPLOYED_FOR_ANNOTATION} annotation)`
              }, not to ${entityRef}; choose another name (serviceName); nothing was deployed`,
            );
          }
          expectedResourceVersion =
            parseInferenceService(existing).resourceVersion ?? null;
        }

        // 7. What: the model, which must be the owner's (its MLflow owner tag).
        const checkOrigin = async (origin: ModelOrigin) => {
          const warn = (message: string) => ctx.logger.warn(message);
          if (origin.modelName) {
            const tags = await client.getRegisteredModelTags(origin.modelName);
            if (!tags) {
              throw new InputError(
                `MLflow registered model '${origin.modelName}' does not exist on instance '${client.name}'`,
              );
            }
            checkOwnerTag(
              `MLflow registered model '${origin.modelName}' on instance '${client.name}'`,
              tags,
              owner,
              options.strictOwnership,
              warn,
            );
          } else if (origin.experimentId) {
            const experiment = await client.getExperiment(origin.experimentId);
            checkOwnerTag(
              `MLflow experiment '${experiment.name}' (${origin.experimentId}) of the logged model, on instance '${client.name}'`,
              experiment.tags,
              owner,
              options.strictOwnership,
              warn,
            );
          }
        };
        const model = await deployer.resolveModel(source, {
          runtime,
          actor,
          checkOrigin,
        });
        const deployInput = {
          source,
          namespace,
          serviceName,
          mode,
          runtime,
          canaryTrafficPercent,
          resources: hasResources ? resources : undefined,
          minReplicas,
          maxReplicas,
          serviceAccountName,
          entityRef,
          labels: { [KUBERNETES_ID_LABEL]: entityRef.split('/').pop()! },
          actor,
          // the service the checks above were made on, or none: anything else is a conflict
          ...(existing && !expectedResourceVersion
            ? {}
            : { expectedResourceVersion }),
        };

        // 8. The server-side dry run: an object the API server refuses stops here.
        const preview = await deployer.deploy(deployInput, {
          dryRun: true,
          model,
        });
        const summary = [
          `action=${preview.plan.action}`,
          `mode=${mode}`,
          `model=${describeSource(source)}${
            model.version ? ` (version ${model.version})` : ''
          }`,
          `storageUri=${model.storageUri}`,
          `runtime=${model.runtime.name}`,
          ...(preview.plan.action === 'canary'
            ? [`canaryTrafficPercent=${canaryTrafficPercent}`]
            : []),
          ...(serviceAccountName
            ? [`serviceAccountName=${serviceAccountName}`]
            : []),
          ...Object.entries(resources).map(([k, v]) => `${k}=${v}`),
          ...(minReplicas !== undefined ? [`minReplicas=${minReplicas}`] : []),
          ...(maxReplicas !== undefined ? [`maxReplicas=${maxReplicas}`] : []),
          `entity=${entityRef}`,
        ].join(', ');
        for (const note of preview.plan.notes) {
          ctx.logger.info(note);
        }
        const outputs = (action: string, url: string | undefined) => {
          ctx.output('serviceName', serviceName);
          ctx.output('namespace', namespace);
          ctx.output('action', action);
          ctx.output('storageUri', model.storageUri);
          if (model.version) {
            ctx.output('modelVersion', model.version);
          }
          if (url) {
            ctx.output('url', url);
          }
        };

        if (ctx.isDryRun) {
          ctx.logger.info(
            `Dry run: the API server accepts ${what} (${summary}); nothing was stored`,
          );
          outputs(preview.plan.action, undefined);
          return;
        }

        // 9. The apply, once per task (a retried task does not deploy again).
        let written: { before: JsonValue; after: JsonValue } | undefined;
        const applied = await ctx.checkpoint<AppliedDeploy>({
          key: `mlops.kserve.deploy.${cluster.name}.${namespace}.${serviceName}`,
          fn: async () => {
            const outcome = await deployer.deploy(deployInput, {
              dryRun: false,
              model,
            });
            written = {
              before: forAudit(outcome.before),
              after: forAudit(outcome.after),
            };
            const service = parseInferenceService(outcome.after);
            ctx.logger.info(`Applied ${what}: ${summary}`);
            const mlflowTags = await deployer.retag(
              cluster.name,
              namespace,
              serviceName,
              outcome.before,
              outcome.after,
            );
            return {
              action: outcome.plan.action,
              ...(service.resourceVersion
                ? { resourceVersion: service.resourceVersion }
                : {}),
              ...(service.url ? { url: service.url } : {}),
              mlflowTags,
            };
          },
        });
        if (applied.mlflowTags.written.length > 0) {
          ctx.logger.info(
            `MLflow serving tags written on ${applied.mlflowTags.written.join(
              ', ',
            )}`,
          );
        }
        if (applied.mlflowTags.failed.length > 0) {
          ctx.logger.warn(
            `The service is deployed, but the MLflow serving tags of ${applied.mlflowTags.failed.join(
              ', ',
            )} could not be updated (MLflow unreachable?)`,
          );
        }
        outputs(applied.action, applied.url);
        await event.success({
          meta: {
            action: applied.action,
            mode,
            serviceAccountName: serviceAccountName ?? null,
            mlflowTags: applied.mlflowTags,
            // a retried task whose apply is in the checkpoint applied nothing this time
            ...(written ?? { alreadyApplied: true }),
          },
        });
      } catch (error) {
        await event.fail({ error: error as Error });
        throw error;
      }
    },
  });
}
