import type {
  ArgoTemplateParameter,
  ArgoWorkflowTemplateSummary,
} from '@mlstack/plugin-mlops-common';
import {
  arrayAt,
  isPlainObject,
  objectAt,
  readMetadata,
  scalarAsString,
  stringAt,
  withoutUndefined,
} from '../kubernetes/objects';
import { ARGO_ANNOTATIONS } from './constants';
import {
  readSubmittableParameters,
  SubmittablePattern,
} from './submittableParameters';

/** The fields of an Argo template that say what it does, in Argo's own order. */
const TEMPLATE_KINDS = [
  'container',
  'script',
  'containerSet',
  'resource',
  'steps',
  'dag',
  'suspend',
  'data',
  'http',
  'plugin',
] as const;

function readTemplateParameter(
  entry: unknown,
  submittable: Map<string, SubmittablePattern>,
): ArgoTemplateParameter | undefined {
  const parameter = objectAt(entry);
  const name = stringAt(parameter.name);
  if (!name) {
    return undefined;
  }
  const defaultValue =
    scalarAsString(parameter.value) ?? scalarAsString(parameter.default);
  const enumValues = arrayAt(parameter.enum)
    .map(scalarAsString)
    .filter((value): value is string => value !== undefined);
  const pattern = submittable.get(name);
  return withoutUndefined<ArgoTemplateParameter>({
    name,
    defaultValue,
    enum: enumValues.length > 0 ? enumValues : undefined,
    description: stringAt(parameter.description),
    required: defaultValue === undefined && !isPlainObject(parameter.valueFrom),
    submittable: enumValues.length > 0 || pattern !== undefined,
    pattern: enumValues.length > 0 ? undefined : pattern?.source,
  });
}

/**
 * The parameters a (Cluster)WorkflowTemplate takes, from `spec.arguments.parameters`, each
 * marked submittable as its `mlstack.io/submittable-parameters` annotation says.
 */
export function readTemplateParameters(
  object: unknown,
): ArgoTemplateParameter[] {
  const spec = objectAt(objectAt(object).spec);
  const { patterns } = readSubmittableParameters(
    readMetadata(object).annotations,
  );
  return arrayAt(objectAt(spec.arguments).parameters)
    .map(entry => readTemplateParameter(entry, patterns))
    .filter((value): value is ArgoTemplateParameter => value !== undefined);
}

/**
 * A WorkflowTemplate or ClusterWorkflowTemplate (told apart by `kind`, or by a missing
 * namespace when kind is absent). Never throws.
 *
 * @public
 */
export function parseWorkflowTemplate(
  object: unknown,
): ArgoWorkflowTemplateSummary {
  const metadata = readMetadata(object);
  const spec = objectAt(objectAt(object).spec);
  const kind = stringAt(objectAt(object).kind);
  const clusterScoped = kind
    ? kind === 'ClusterWorkflowTemplate'
    : metadata.namespace === undefined;
  const entrypoint = stringAt(spec.entrypoint);
  const templates = arrayAt(spec.templates).flatMap(item => {
    const template = objectAt(item);
    const name = stringAt(template.name);
    if (!name) {
      return [];
    }
    const templateKind =
      TEMPLATE_KINDS.find(key => template[key] !== undefined) ?? 'unknown';
    return [{ name, kind: templateKind }];
  });
  const artifactNames = arrayAt(objectAt(spec.arguments).artifacts)
    .map(item => stringAt(objectAt(item).name))
    .filter((name): name is string => name !== undefined);
  return withoutUndefined<ArgoWorkflowTemplateSummary>({
    name: metadata.name ?? '',
    namespace: clusterScoped ? undefined : metadata.namespace,
    uid: metadata.uid,
    creationTimestamp: metadata.creationTimestamp,
    clusterScoped,
    title: metadata.annotations[ARGO_ANNOTATIONS.title],
    description: metadata.annotations[ARGO_ANNOTATIONS.description]?.trim(),
    entrypoint,
    submittable: entrypoint !== undefined,
    parameters: readTemplateParameters(object),
    submittableParametersError: readSubmittableParameters(metadata.annotations)
      .error,
    artifactNames,
    templates,
    labels: metadata.labels,
  });
}
