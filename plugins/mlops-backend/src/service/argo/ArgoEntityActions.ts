import type { Entity } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { ArgoWorkflowSummary } from '@mlstack/plugin-mlops-common';
import {
  ARGO_WORKFLOW_RESOURCE,
  ARGO_WORKFLOW_TEMPLATE_RESOURCE,
  ArgoShutdownStrategy,
  assertWorkflowCanBeShutDown,
  buildResubmittedWorkflow,
  buildShutdownPatch,
  buildWorkflowFromTemplate,
  parseWorkflowSummary,
  retryFailedWorkflow,
} from '@mlstack/plugin-mlops-node';
import { notInScope, orNotInScope } from '../notInScope';
import type { ArgoEntityService } from './ArgoEntityService';
import { readWorkflowSources } from './workflowScope';

/**
 * What the Pipelines tab does to an entity's workflows, each exactly as Argo's CLI and server
 * do it (see the builders in @mlstack/plugin-mlops-node). `actor` is who asked (a user entity
 * ref, or a service), recorded in Argo's creator/actor labels. Permissions and auditing are
 * the router's.
 */
export class ArgoEntityActions {
  constructor(private readonly workflows: ArgoEntityService) {}

  /** Creates a workflow from one of the entity's templates, like `argo submit --from`. */
  async submit(
    entity: Entity,
    templateName: string,
    options: { parameters?: Record<string, string>; actor?: string },
  ): Promise<ArgoWorkflowSummary> {
    const scope = await this.workflows.scopeOf(entity);
    const { templates } = readWorkflowSources(entity);
    const notFound = () => notInScope.template(templateName, scope.entityRef);
    if (!templates.includes(templateName)) {
      throw notFound();
    }
    const template = await orNotInScope(
      scope.cluster.getCustomObject(
        ARGO_WORKFLOW_TEMPLATE_RESOURCE,
        scope.namespace,
        templateName,
      ),
      notFound,
    );
    const workflow = buildWorkflowFromTemplate(template, {
      parameters: options.parameters,
      creator: options.actor,
      namespace: scope.namespace,
    });
    const created = await scope.cluster.createCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      scope.namespace,
      workflow,
    );
    this.workflows.noteCreated(scope, readWorkflowSources(entity), created);
    return parseWorkflowSummary(created);
  }

  /** Creates a new workflow with the spec of one of the entity's, like `argo resubmit`. */
  async resubmit(
    entity: Entity,
    name: string,
    options: { memoized?: boolean; actor?: string },
  ): Promise<ArgoWorkflowSummary> {
    if (options.memoized) {
      throw new InputError(
        'Resubmitting with memoized outputs is not supported by the MLStack backend: ' +
          'resubmit without it (every step runs again), or retry the failed workflow',
      );
    }
    const { scope, sources, object } = await this.workflows.loadWorkflow(
      entity,
      name,
    );
    const created = await scope.cluster.createCustomObject(
      ARGO_WORKFLOW_RESOURCE,
      scope.namespace,
      buildResubmittedWorkflow(object, { creator: options.actor }),
    );
    this.workflows.noteCreated(scope, sources, created);
    return parseWorkflowSummary(created);
  }

  /**
   * Reruns the failed steps of a Failed or Error workflow, like `argo retry`: deletes the pods
   * of the steps that run again, then writes the workflow back with its resourceVersion (a
   * concurrent change is a 409).
   */
  async retry(
    entity: Entity,
    name: string,
    options: { actor?: string },
  ): Promise<ArgoWorkflowSummary> {
    const { scope, object } = await this.workflows.loadWorkflow(entity, name);
    const { workflow, podsToDelete } = retryFailedWorkflow(object, {
      actor: options.actor,
    });
    for (const pod of podsToDelete) {
      await scope.cluster.deletePod(scope.namespace, pod);
    }
    return parseWorkflowSummary(
      await scope.cluster.replaceCustomObject(
        ARGO_WORKFLOW_RESOURCE,
        scope.namespace,
        name,
        workflow,
      ),
    );
  }

  /** Stops (exit handlers run) or terminates a running workflow; 409 when it has completed. */
  async shutdown(
    entity: Entity,
    name: string,
    strategy: ArgoShutdownStrategy,
    options: { actor?: string },
  ): Promise<ArgoWorkflowSummary> {
    const { scope, object } = await this.workflows.loadWorkflow(entity, name);
    assertWorkflowCanBeShutDown(object);
    return parseWorkflowSummary(
      await scope.cluster.mergePatchCustomObject(
        ARGO_WORKFLOW_RESOURCE,
        scope.namespace,
        name,
        buildShutdownPatch(strategy, { actor: options.actor }),
      ),
    );
  }
}
