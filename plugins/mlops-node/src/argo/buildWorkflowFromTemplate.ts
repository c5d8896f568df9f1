import { InputError } from '@backstage/errors';
import { readMetadata } from '../kubernetes/objects';
import { ARGO_API_VERSION, ARGO_LABELS } from './constants';
import { labelCreator } from './labels';
import { validateParameterValues } from './parameterValidation';
import { parseWorkflowTemplate } from './parseWorkflowTemplate';

/**
 * A Workflow to create (POST) that runs a WorkflowTemplate.
 *
 * @public
 */
export interface ArgoWorkflowFromTemplate {
  apiVersion: typeof ARGO_API_VERSION;
  kind: 'Workflow';
  metadata: {
    generateName: string;
    namespace: string;
    labels: Record<string, string>;
  };
  spec: {
    workflowTemplateRef: { name: string; clusterScope?: true };
    arguments?: { parameters: Array<{ name: string; value: string }> };
  };
}

/**
 * Options of buildWorkflowFromTemplate.
 *
 * @public
 */
export interface BuildWorkflowFromTemplateOptions {
  /**
   * Values of the template's `spec.arguments.parameters`, name → value. Each must be one the
   * template declares and within its enum; required parameters must be given.
   */
  parameters?: Record<string, string>;
  /**
   * Accept only the parameters the template marks as submittable (an enum, or listed with a
   * pattern in its `mlstack.io/submittable-parameters` annotation). Default true: values come
   * from portal users; false only for callers the template's author trusts.
   */
  onlySubmittable?: boolean;
  /** Defaults to `<template name>-`, as Argo names them. */
  generateName?: string;
  /** Labels to add; like `argo submit --labels`, they win over Argo's own. */
  labels?: Record<string, string>;
  /**
   * Who submits (e.g. a user entity ref), recorded the way the Argo Server records its
   * authenticated user: as the `workflows.argoproj.io/creator` label, made label-safe.
   */
  creator?: string;
  /** Argo's `--instanceid`, when the controller only handles labelled workflows. */
  controllerInstanceId?: string;
  /**
   * Where to run it. Defaults to the template's namespace; required for a
   * ClusterWorkflowTemplate. A namespaced template can only be used in its own namespace.
   */
  namespace?: string;
}

function resolveNamespace(
  templateName: string,
  clusterScoped: boolean,
  templateNamespace: string | undefined,
  requested: string | undefined,
): string {
  if (clusterScoped) {
    if (!requested) {
      throw new InputError(
        `ClusterWorkflowTemplate '${templateName}' needs a namespace to run the workflow in`,
      );
    }
    return requested;
  }
  if (!templateNamespace) {
    throw new InputError(
      `WorkflowTemplate '${templateName}' has no namespace; read it from the cluster first`,
    );
  }
  if (requested && requested !== templateNamespace) {
    throw new InputError(
      `WorkflowTemplate '${templateName}' is in namespace '${templateNamespace}'; a workflow in '${requested}' cannot use it`,
    );
  }
  return templateNamespace;
}

/**
 * The Workflow `argo submit --from workflowtemplate/<name>` (and the Argo Server's submit
 * endpoint) creates: `common.NewWorkflowFromWorkflowTemplate` gives
 * `metadata.generateName: <name>-`, the label `workflows.argoproj.io/workflow-template: <name>`
 * (`cluster-workflow-template` for a ClusterWorkflowTemplate) and
 * `spec.workflowTemplateRef.name` (+ `clusterScope: true`); the server adds its instance-id
 * and creator labels; `ApplySubmitOpts` then merges the given labels and puts the given
 * parameters in `spec.arguments.parameters`. The template's defaults are not copied: the
 * controller takes them from the template when it runs the workflow.
 *
 * Validates before Argo would: the template must have an entrypoint, every given parameter
 * must be declared and within its enum, and required parameters must be given (InputError).
 *
 * @public
 */
export function buildWorkflowFromTemplate(
  template: unknown,
  options: BuildWorkflowFromTemplateOptions = {},
): ArgoWorkflowFromTemplate {
  const summary = parseWorkflowTemplate(template);
  const kindLabel = summary.clusterScoped
    ? 'ClusterWorkflowTemplate'
    : 'WorkflowTemplate';
  if (!summary.name) {
    throw new InputError(`The ${kindLabel} has no metadata.name`);
  }
  const owner = `${kindLabel} '${summary.name}'`;
  if (!summary.entrypoint) {
    throw new InputError(
      `${owner} has no entrypoint, so it only provides templates to other workflows and cannot be submitted`,
    );
  }
  const parameters = options.parameters ?? {};
  validateParameterValues(summary.parameters, parameters, {
    owner,
    requireAll: true,
    onlySubmittable: options.onlySubmittable ?? true,
    submittableError: summary.submittableParametersError,
  });
  const namespace = resolveNamespace(
    summary.name,
    summary.clusterScoped,
    readMetadata(template).namespace,
    options.namespace,
  );

  let labels: Record<string, string> = {
    [summary.clusterScoped
      ? ARGO_LABELS.clusterWorkflowTemplate
      : ARGO_LABELS.workflowTemplate]: summary.name,
  };
  if (options.controllerInstanceId) {
    labels[ARGO_LABELS.controllerInstanceId] = options.controllerInstanceId;
  }
  labels = labelCreator(labels, options.creator);
  labels = { ...labels, ...options.labels };

  const workflow: ArgoWorkflowFromTemplate = {
    apiVersion: ARGO_API_VERSION,
    kind: 'Workflow',
    metadata: {
      generateName: options.generateName ?? `${summary.name}-`,
      namespace,
      labels,
    },
    spec: {
      workflowTemplateRef: summary.clusterScoped
        ? { name: summary.name, clusterScope: true }
        : { name: summary.name },
    },
  };
  const given = Object.entries(parameters);
  if (given.length > 0) {
    workflow.spec.arguments = {
      parameters: given.map(([name, value]) => ({ name, value })),
    };
  }
  return workflow;
}
