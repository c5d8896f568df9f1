import { NotFoundError } from '@backstage/errors';
import { isErrorNamed } from './kubernetes/errors';

/**
 * The 404s of objects an entity's routes are asked for. An object outside the entity's scope
 * (another team's run, workflow, template or service) and one that does not exist at all get
 * the same status and the same text, which names only what was asked for: a caller cannot
 * tell the two apart, so cannot probe for other teams' objects.
 */
export const notInScope = {
  run: (runId: string, entityRef: string) =>
    new NotFoundError(
      `No run ${runId} in the MLflow experiments of ${entityRef}`,
    ),
  workflow: (name: string, entityRef: string) =>
    new NotFoundError(
      `No workflow ${name} among the Argo workflows of ${entityRef}`,
    ),
  template: (name: string, entityRef: string) =>
    new NotFoundError(
      `No WorkflowTemplate ${name} among the Argo workflow templates of ${entityRef}`,
    ),
  inferenceService: (name: string, entityRef: string) =>
    new NotFoundError(
      `No InferenceService ${name} among the KServe InferenceServices of ${entityRef}`,
    ),
};

/** What `read` gives; its NotFoundError (the object does not exist) becomes `notFound()`. */
export async function orNotInScope<T>(
  read: Promise<T>,
  notFound: () => Error,
): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (isErrorNamed(error, 'NotFoundError')) {
      throw notFound();
    }
    throw error;
  }
}

/** What `read` gives, or undefined when it is a NotFoundError (the object does not exist). */
export async function orUndefinedIfNotFound<T>(
  read: Promise<T>,
): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (isErrorNamed(error, 'NotFoundError')) {
      return undefined;
    }
    throw error;
  }
}
