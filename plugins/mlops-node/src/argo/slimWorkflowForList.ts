import {
  PlainObject,
  objectAt,
  stringMapAt,
  withoutUndefined,
} from '../kubernetes/objects';
import { ARGO_ANNOTATIONS } from './constants';

/**
 * What a list of Workflows needs, as Argo's own UI asks its server for it
 * (`fields=items.metadata.{uid,name,namespace,creationTimestamp,labels,annotations},`
 * `items.status.{phase,message,startedAt,finishedAt,estimatedDuration,progress},`
 * `items.spec.{suspend,arguments}`), plus `workflowTemplateRef`, `shutdown`, `entrypoint`
 * and the stored template's parameters that parseWorkflowSummary reads. Of the arguments
 * only parameters are kept (artifact arguments may carry inline data).
 *
 * Why: the Kubernetes API cannot project custom resources, and a Workflow's `status.nodes`
 * (with inputs, outputs and stored templates) makes most of its size: a page of 50 running
 * workflows is easily megabytes. List with `limit` (e.g. 50) and `continue`, pass each item
 * through this function before caching or sending it, and a page stays well under 100 KB.
 * parseWorkflowSummary gives the same answer for the slim object as for the full one.
 *
 * @public
 */
export function slimWorkflowForList(object: unknown): PlainObject {
  const workflow = objectAt(object);
  const metadata = objectAt(workflow.metadata);
  const spec = objectAt(workflow.spec);
  const status = objectAt(workflow.status);
  const annotations = stringMapAt(metadata.annotations);
  const keptAnnotations = Object.fromEntries(
    Object.values(ARGO_ANNOTATIONS)
      .filter(key => annotations[key] !== undefined)
      .map(key => [key, annotations[key]]),
  );
  const parameters = objectAt(spec.arguments).parameters;
  const storedParameters = objectAt(
    objectAt(status.storedWorkflowTemplateSpec).arguments,
  ).parameters;
  return withoutUndefined({
    apiVersion: workflow.apiVersion,
    kind: workflow.kind,
    metadata: withoutUndefined({
      name: metadata.name,
      namespace: metadata.namespace,
      uid: metadata.uid,
      resourceVersion: metadata.resourceVersion,
      creationTimestamp: metadata.creationTimestamp,
      labels: metadata.labels,
      annotations:
        Object.keys(keptAnnotations).length > 0 ? keptAnnotations : undefined,
    }),
    spec: withoutUndefined({
      entrypoint: spec.entrypoint,
      workflowTemplateRef: spec.workflowTemplateRef,
      arguments: parameters !== undefined ? { parameters } : undefined,
      suspend: spec.suspend,
      shutdown: spec.shutdown,
    }),
    status: withoutUndefined({
      phase: status.phase,
      message: status.message,
      progress: status.progress,
      startedAt: status.startedAt,
      finishedAt: status.finishedAt,
      estimatedDuration: status.estimatedDuration,
      storedWorkflowTemplateSpec:
        storedParameters !== undefined
          ? { arguments: { parameters: storedParameters } }
          : undefined,
    }),
  });
}
