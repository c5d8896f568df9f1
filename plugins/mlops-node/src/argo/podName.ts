import { ARGO_ANNOTATIONS } from './constants';

const MAX_RESOURCE_NAME_LENGTH = 253;
const NAMING_HASH_LENGTH = 10;
const MAX_PREFIX_LENGTH = MAX_RESOURCE_NAME_LENGTH - NAMING_HASH_LENGTH;

export type ArgoPodNameVersion = 'v1' | 'v2';

/** 32-bit FNV-1a of the UTF-8 bytes, as Go's `hash/fnv` New32a computes it. */
export function fnv32a(text: string): number {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/**
 * The pod name format of a workflow, as `GetWorkflowPodNameVersion` reads it: the
 * `workflows.argoproj.io/pod-name-format` annotation (which the controller sets on every
 * workflow it runs), and v2, the controller's default, when it is absent or unrecognised.
 */
export function podNameVersion(
  annotations: Record<string, string>,
): ArgoPodNameVersion {
  return annotations[ARGO_ANNOTATIONS.podNameFormat] === 'v1' ? 'v1' : 'v2';
}

/** What a node needs to have its pod named. */
export interface PodNamingNode {
  id: string;
  name: string;
  type?: string;
  /** GetTemplateFromNode: templateRef.template, else templateName. */
  templateName?: string;
}

/**
 * The pod Argo creates for a node (argo-workflows `workflow/util/pod_name.go`,
 * `GeneratePodName`):
 *
 * - v1: the node id;
 * - v2: `<workflow>-<template>-<fnv32a(node name)>`, the prefix cut to 242 characters; just
 *   `<workflow>-<hash>` without a template; the workflow name itself for a workflow that is a
 *   single pod (node name = workflow name).
 *
 * A Container node (a containerSet member) lives in its pod node's pod, whose name is the
 * container node's name without its last `.<container>` part (as the Argo UI does it).
 * Falls back to the node id when the workflow name is unknown.
 */
export function argoPodName(
  workflowName: string | undefined,
  node: PodNamingNode,
  version: ArgoPodNameVersion,
): string {
  if (version === 'v1' || !workflowName) {
    return node.id;
  }
  const podNodeName =
    node.type === 'Container' ? node.name.replace(/\.[^/.]+$/, '') : node.name;
  if (podNodeName === workflowName) {
    return workflowName;
  }
  let prefix = node.templateName
    ? `${workflowName}-${node.templateName}`
    : workflowName;
  if (prefix.length > MAX_PREFIX_LENGTH - 1) {
    prefix = prefix.slice(0, MAX_PREFIX_LENGTH - 1);
  }
  return `${prefix}-${fnv32a(podNodeName)}`;
}
