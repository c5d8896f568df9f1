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
  return withoutUndefined<ArgoTemplateParameter>({
    name,
    defaultValue,
    enum: enumValues.length > 0 ? enumValues : undefined,
    description: stringAt(parameter.description),
    required: defaultValue === undefined && !isPlainObject(parameter.valueFrom),
  });
}

/** The parameters a (Cluster)WorkflowTemplate takes, from `spec.arguments.parameters`. */
export function readTemplateParameters(
  object: unknown,
): ArgoTemplateParameter[] {
  const spec = objectAt(objectAt(object).spec);
  return arrayAt(objectAt(spec.arguments).parameters)
    .map(readTemplateParameter)
    .filter((value): value is ArgoTemplateParameter => value !== undefined);
}

/**
 * A WorkflowTemplate or ClusterWorkflowTemplate (told apart by `kind`, or by a missing
 * namespace when kind is absent). Never throws.
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
    artifactNames,
    templates,
    labels: metadata.labels,
  });
}
