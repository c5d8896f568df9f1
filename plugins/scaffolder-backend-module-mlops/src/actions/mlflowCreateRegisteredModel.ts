import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { canonicalOwnerRef } from '@mlstack/plugin-mlops-common';
import type { MlflowClient, MlflowInstances } from '@mlstack/plugin-mlops-node';
import { InitiatorPolicy, requireInitiatorOwns } from '../lib/initiator';
import {
  normaliseOwnerRef,
  OWNER_TAG,
  validateMlflowTags,
} from '../lib/validation';
import { examples } from './mlflowCreateRegisteredModel.examples';

export const MLFLOW_CREATE_REGISTERED_MODEL_ACTION_ID =
  'mlops:mlflow:create-registered-model';

/** The length of MLflow's `registered_models.name` column. */
const MAX_NAME_LENGTH = 256;

/** The model's page in the MLflow UI (the registry's route of MLflow 3). */
function registeredModelUrl(client: MlflowClient, name: string): string {
  return `${client.uiBaseUrl}/#/models/${encodeURIComponent(name)}`;
}

/**
 * Whether a registered model of that name exists (true: it belongs to `owner`, reuse it;
 * false: there is none). A model tagged for another owner, or without an owner tag (made
 * outside the scaffolder, e.g. by a first `mlflow.register_model`), is a NotAllowedError
 * naming the model and both owners: registering into it would hand another team's model, or
 * an unclaimed one, to this project.
 */
async function ownModelExists(
  client: MlflowClient,
  name: string,
  owner: string,
): Promise<boolean> {
  const existing = await client.getRegisteredModel(name);
  if (!existing) {
    return false;
  }
  const where = `MLflow registered model '${name}' on instance '${client.name}'`;
  const tagged = existing.tags[OWNER_TAG];
  if (tagged === undefined) {
    throw new NotAllowedError(
      `${where} already exists without a ${OWNER_TAG} tag (no owner), so it was not made for ${owner}; ` +
        `pick another name, or have an MLflow admin tag it ${OWNER_TAG}=${owner} to adopt it`,
    );
  }
  if ((canonicalOwnerRef(tagged) ?? tagged) !== owner) {
    throw new NotAllowedError(
      `${where} belongs to ${tagged} (tag ${OWNER_TAG}), not to ${owner}; pick another name`,
    );
  }
  return true;
}

/**
 * `mlops:mlflow:create-registered-model`: creates an MLflow registered model (without
 * versions) tagged with its owner, or reuses the owner's existing one, so that the versions a
 * project registers later go into a model its team owns.
 *
 * @public
 */
export function createMlflowCreateRegisteredModelAction(options: {
  mlflow: MlflowInstances;
  /** Who may claim a registered model for an owner. */
  initiator: InitiatorPolicy;
}) {
  const { mlflow } = options;
  return createTemplateAction({
    id: MLFLOW_CREATE_REGISTERED_MODEL_ACTION_ID,
    description:
      'Creates an MLflow registered model (no versions yet) tagged with its owner (mlstack.io/owner), or reuses the one the same owner already has',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: z =>
          z
            .string()
            .describe(
              'Name of the registered model the project will register its versions into',
            ),
        owner: z =>
          z
            .string()
            .describe(
              "Entity ref of the owner, e.g. 'group:default/ml-team'; stored as the model tag mlstack.io/owner",
            ),
        instance: z =>
          z
            .string()
            .optional()
            .describe(
              'Name of a configured MLflow instance (mlops.mlflow.instances); the default instance when absent',
            ),
        description: z =>
          z
            .string()
            .optional()
            .describe("The model's description, set when it is created"),
        tags: z =>
          z
            .record(z.string())
            .optional()
            .describe('More model tags, set when the model is created'),
      },
      output: {
        name: z => z.string().describe('Name of the registered model'),
        registeredModelUrl: z =>
          z.string().describe('Link to the model in the MLflow UI'),
        created: z =>
          z
            .boolean()
            .describe(
              'true if this run created the model, false if it existed',
            ),
      },
    },
    async handler(ctx) {
      const name = ctx.input.name.trim();
      if (!name) {
        throw new InputError('The registered model name must not be empty');
      }
      if (name.length > MAX_NAME_LENGTH) {
        throw new InputError(
          `The registered model name must be at most ${MAX_NAME_LENGTH} characters`,
        );
      }
      const owner = normaliseOwnerRef(ctx.input.owner);
      const tags = validateMlflowTags(
        ctx.input.tags,
        owner,
        'registered model',
      );
      const description = ctx.input.description?.trim() || undefined;
      const client = mlflow.get(ctx.input.instance);
      await requireInitiatorOwns(
        ctx,
        options.initiator,
        owner,
        `claim MLflow registered model '${name}' on instance '${client.name}'`,
      );

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would create MLflow registered model '${name}' on instance '${client.name}' tagged ${OWNER_TAG}=${owner}, or reuse it if ${owner} already has it`,
        );
        ctx.output('name', name);
        ctx.output('registeredModelUrl', registeredModelUrl(client, name));
        ctx.output('created', true);
        return;
      }

      const result = await ctx.checkpoint({
        key: `mlops.mlflow.create-registered-model.${client.name}.${name}`,
        fn: async () => {
          if (await ownModelExists(client, name, owner)) {
            ctx.logger.info(
              `MLflow registered model '${name}' on instance '${client.name}' already belongs to ${owner}; reusing it`,
            );
            return { created: false };
          }
          try {
            await client.createRegisteredModel({ name, description, tags });
          } catch (error) {
            // Created meanwhile (another task, or a first register_model): whose is it?
            if (
              !ConflictError.is(error) ||
              !(await ownModelExists(client, name, owner))
            ) {
              throw error;
            }
            ctx.logger.info(
              `MLflow registered model '${name}' on instance '${client.name}' was created meanwhile for ${owner}; reusing it`,
            );
            return { created: false };
          }
          ctx.logger.info(
            `Created MLflow registered model '${name}' on instance '${client.name}' tagged ${OWNER_TAG}=${owner}`,
          );
          return { created: true };
        },
      });
      ctx.output('name', name);
      ctx.output('registeredModelUrl', registeredModelUrl(client, name));
      ctx.output('created', result.created);
    },
  });
}
