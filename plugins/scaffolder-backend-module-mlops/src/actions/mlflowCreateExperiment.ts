import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { MlflowClient, MlflowInstances } from '@mlstack/plugin-mlops-node';
import { InitiatorPolicy, requireInitiatorOwns } from '../lib/initiator';
import {
  normaliseOwnerRef,
  OWNER_TAG,
  validateMlflowTags,
} from '../lib/validation';
import { examples } from './mlflowCreateExperiment.examples';

export const MLFLOW_CREATE_EXPERIMENT_ACTION_ID =
  'mlops:mlflow:create-experiment';

function experimentUrl(client: MlflowClient, experimentId: string): string {
  return `${client.uiBaseUrl}/#/experiments/${encodeURIComponent(
    experimentId,
  )}`;
}

/**
 * The experiment's id if it exists and belongs to `owner`; undefined if there is none; an
 * error for a deleted experiment or one of another owner.
 */
async function findOwnExperiment(
  client: MlflowClient,
  name: string,
  owner: string,
): Promise<string | undefined> {
  const existing = await client.getExperimentByName(name);
  if (!existing) {
    return undefined;
  }
  const where = `MLflow experiment '${name}' (id ${existing.experimentId}) on instance '${client.name}'`;
  if (existing.lifecycleStage === 'deleted') {
    throw new ConflictError(
      `${where} is deleted; restore it in MLflow (e.g. \`mlflow experiments restore --experiment-id ${existing.experimentId}\`) or pick another name`,
    );
  }
  const taggedOwner = existing.tags[OWNER_TAG];
  if (taggedOwner === undefined) {
    throw new ConflictError(
      `${where} already exists without a ${OWNER_TAG} tag, so it was not made for ${owner}; ` +
        `pick another name, or tag it ${OWNER_TAG}=${owner} in MLflow to adopt it`,
    );
  }
  if (taggedOwner.toLowerCase() !== owner) {
    throw new ConflictError(
      `${where} belongs to ${taggedOwner} (tag ${OWNER_TAG}), not to ${owner}; pick another name`,
    );
  }
  return existing.experimentId;
}

/**
 * `mlops:mlflow:create-experiment`: creates an MLflow experiment tagged with its owner, or
 * reuses the owner's existing one.
 *
 * @public
 */
export function createMlflowCreateExperimentAction(options: {
  mlflow: MlflowInstances;
  /** Who may claim an experiment for an owner. */
  initiator: InitiatorPolicy;
}) {
  const { mlflow } = options;
  return createTemplateAction({
    id: MLFLOW_CREATE_EXPERIMENT_ACTION_ID,
    description:
      'Creates an MLflow experiment tagged with its owner (mlstack.io/owner), or reuses the one the same owner already has',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z => z.string().describe('Name of the experiment'),
        owner: z =>
          z
            .string()
            .describe(
              "Entity ref of the owner, e.g. 'group:default/ml-team'; stored as the experiment tag mlstack.io/owner",
            ),
        instance: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of a configured MLflow instance (mlops.mlflow.instances); the default instance when absent',
            ),
        artifactLocation: z =>
          z
            .string()
            .optional()
            .describe(
              "Where the experiment's artifacts go, e.g. 's3://ml-fraud/mlflow'; the server's default when absent",
            ),
        tags: z =>
          z
            .record(z.string())
            .optional()
            .describe(
              'More experiment tags, set when the experiment is created',
            ),
      },
      output: {
        experimentId: z => z.string().describe('Id of the experiment'),
        experimentUrl: z =>
          z.string().describe('Link to the experiment in the MLflow UI'),
        created: z =>
          z
            .boolean()
            .describe(
              'true if this run created the experiment, false if it existed',
            ),
      },
    },
    async handler(ctx) {
      const name = ctx.input.name.trim();
      if (!name) {
        throw new InputError('The experiment name must not be empty');
      }
      if (name.length > 500) {
        throw new InputError(
          'The experiment name must be at most 500 characters',
        );
      }
      const owner = normaliseOwnerRef(ctx.input.owner);
      const tags = validateMlflowTags(ctx.input.tags, owner, 'experiment');
      const artifactLocation = ctx.input.artifactLocation?.trim() || undefined;
      if (artifactLocation && !/^[a-z][a-z0-9+.-]*:/i.test(artifactLocation)) {
        throw new InputError(
          `artifactLocation '${artifactLocation}' must be a URI such as s3://bucket/prefix`,
        );
      }
      const client = mlflow.get(ctx.input.instance);
      await requireInitiatorOwns(
        ctx,
        options.initiator,
        owner,
        `claim MLflow experiment '${name}' on instance '${client.name}'`,
      );

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create MLflow experiment '${name}' on instance '${client.name}' tagged ${OWNER_TAG}=${owner}, or reuse it if ${owner} already has it`,
        );
        ctx.output('experimentId', 'dry-run');
        ctx.output('experimentUrl', experimentUrl(client, 'dry-run'));
        ctx.output('created', true);
        return;
      }

      const result = await ctx.checkpoint({
        key: `mlops.mlflow.create-experiment.${client.name}.${name}`,
        fn: async () => {
          const existing = await findOwnExperiment(client, name, owner);
          if (existing) {
            ctx.logger.info(
              `MLflow experiment '${name}' (id ${existing}) on instance '${client.name}' already belongs to ${owner}; reusing it`,
            );
            return { experimentId: existing, created: false };
          }
          try {
            const experimentId = await client.createExperiment({
              name,
              artifactLocation,
              tags,
            });
            ctx.logger.info(
              `Created MLflow experiment '${name}' (id ${experimentId}) on instance '${client.name}'`,
            );
            return { experimentId, created: true };
          } catch (error) {
            if (!ConflictError.is(error)) {
              throw error;
            }
            // Created meanwhile (another task) or a deleted one get-by-name did not return.
            const raced = await findOwnExperiment(client, name, owner);
            if (!raced) {
              throw error;
            }
            return { experimentId: raced, created: false };
          }
        },
      });
      ctx.output('experimentId', result.experimentId);
      ctx.output('experimentUrl', experimentUrl(client, result.experimentId));
      ctx.output('created', result.created);
    },
  });
}
