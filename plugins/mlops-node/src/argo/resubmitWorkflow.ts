import type { ArgoTemplateParameter } from '@mlstack/plugin-mlops-common';
import { InputError } from '@backstage/errors';
import {
  PlainObject,
  arrayAt,
  cloneJson,
  isPlainObject,
  numberAt,
  objectAt,
  readMetadata,
  stringAt,
  withoutUndefined,
} from '../kubernetes/objects';
import { ARGO_API_VERSION, ARGO_LABELS } from './constants';
import { labelCreator } from './labels';
import {
  overrideParameters,
  validateParameterValues,
} from './parameterValidation';
import { readTemplateParameters } from './parseWorkflowTemplate';

/** Labels Argo does not carry over to a resubmitted workflow. */
const LABELS_NOT_CARRIED_OVER: readonly string[] = [
  ARGO_LABELS.creator,
  ARGO_LABELS.creatorEmail,
  ARGO_LABELS.creatorPreferredUsername,
  ARGO_LABELS.phase,
  ARGO_LABELS.completed,
  ARGO_LABELS.archivingStatus,
];

/**
 * Options of buildResubmittedWorkflow.
 *
 * @public
 */
export interface ResubmitWorkflowOptions {
  /** New values for some of the workflow's parameters. */
  parameters?: Record<string, string>;
  /** Who resubmits; recorded as the creator label (see buildWorkflowFromTemplate). */
  creator?: string;
}

/**
 * The parameters a workflow declares: those of the template the controller stored
 * (with enums), then the workflow's own arguments.
 */
function declaredParameters(workflow: PlainObject): ArgoTemplateParameter[] {
  const stored = readTemplateParameters({
    spec: objectAt(objectAt(workflow.status).storedWorkflowTemplateSpec),
  });
  const own = readTemplateParameters(workflow);
  const byName = new Map(stored.map(p => [p.name, p]));
  for (const parameter of own) {
    byName.set(parameter.name, { ...byName.get(parameter.name), ...parameter });
  }
  return Array.from(byName.values());
}

/**
 * The new Workflow `argo resubmit <name>` creates (argo-workflows `workflow/util/util.go`,
 * `FormulateResubmitWorkflow`, without `--memoized`): the same spec (minus `shutdown`, and
 * minus `activeDeadlineSeconds: 0` left by an old terminate), `generateName` of the original
 * (or `<name>-`), its labels except creator and completion bookkeeping, the label
 * `workflows.argoproj.io/resubmitted-from-workflow: <name>`, its annotations and owner
 * references; given parameters replace the workflow's own, in Argo's order.
 *
 * Any phase may be resubmitted, as with Argo. `--memoized` (reusing the succeeded nodes) is not
 * offered: it needs a predetermined name and a rewritten node status, for which the Argo
 * Server is the better tool.
 *
 * @public
 */
export function buildResubmittedWorkflow(
  workflow: unknown,
  options: ResubmitWorkflowOptions = {},
): PlainObject {
  const original = objectAt(workflow);
  const metadata = readMetadata(original);
  const originalMetadata = objectAt(original.metadata);
  if (!metadata.name) {
    throw new InputError('The workflow to resubmit has no metadata.name');
  }
  const spec = cloneJson(objectAt(original.spec));
  delete spec.shutdown;
  if (numberAt(spec.activeDeadlineSeconds) === 0) {
    delete spec.activeDeadlineSeconds;
  }
  if (options.parameters && Object.keys(options.parameters).length > 0) {
    validateParameterValues(declaredParameters(original), options.parameters, {
      owner: `Workflow '${metadata.name}'`,
      requireAll: false,
    });
    const args = objectAt(spec.arguments);
    spec.arguments = {
      ...args,
      parameters: overrideParameters(
        arrayAt(args.parameters),
        options.parameters,
      ),
    };
  }

  let labels = Object.fromEntries(
    Object.entries(metadata.labels).filter(
      ([key]) => !LABELS_NOT_CARRIED_OVER.includes(key),
    ),
  );
  labels = labelCreator(labels, options.creator);
  labels[ARGO_LABELS.resubmittedFrom] = metadata.name;

  const ownerReferences = arrayAt(originalMetadata.ownerReferences).filter(
    isPlainObject,
  );
  return {
    apiVersion: stringAt(original.apiVersion) ?? ARGO_API_VERSION,
    kind: stringAt(original.kind) ?? 'Workflow',
    metadata: withoutUndefined({
      generateName:
        stringAt(originalMetadata.generateName) ?? `${metadata.name}-`,
      namespace: metadata.namespace,
      labels,
      annotations: metadata.annotations,
      ownerReferences:
        ownerReferences.length > 0 ? cloneJson(ownerReferences) : undefined,
    }),
    spec,
  };
}
