import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  ARGO_WORKFLOW_SELECTOR_ANNOTATION,
  ARGO_WORKFLOW_TEMPLATE_ANNOTATION,
  parseNameList,
} from '@mlstack/plugin-mlops-common';
import { ARGO_LABELS } from '@mlstack/plugin-mlops-node';
import { createHash } from 'node:crypto';
import { readSelectorAnnotation } from '../kubernetes/entityScope';
import {
  LabelRequirement,
  canonicalLabelSelector,
  matchesLabelSelector,
  parseLabelSelector,
} from '../kubernetes/labelSelector';

/**
 * Which workflows belong to an entity: those matching its workflow selector, and those
 * submitted from one of its templates (Argo labels them
 * `workflows.argoproj.io/workflow-template=<name>`). Each is one label selector; the
 * API server cannot OR selectors, so a list reads one after the other (see WorkflowPager).
 */
export interface WorkflowSources {
  /** The template names of the annotation, in its order. */
  templates: string[];
  /** The label selectors to list with, in order: the entity's selector, then the templates'. */
  selectors: Array<{ text: string; requirements: LabelRequirement[] }>;
}

export function readWorkflowSources(entity: Entity): WorkflowSources {
  const selector = readSelectorAnnotation(
    entity,
    ARGO_WORKFLOW_SELECTOR_ANNOTATION,
  );
  const templates = parseNameList(
    entity.metadata.annotations?.[ARGO_WORKFLOW_TEMPLATE_ANNOTATION],
  );
  const selectors = selector ? [selector] : [];
  if (templates.length > 0) {
    const text = `${ARGO_LABELS.workflowTemplate} in (${templates.join(',')})`;
    let requirements: LabelRequirement[];
    try {
      requirements = parseLabelSelector(text);
    } catch (error) {
      throw new InputError(
        `The ${ARGO_WORKFLOW_TEMPLATE_ANNOTATION} annotation of ${stringifyEntityRef(
          entity,
        )} names a template that cannot be a label value: '${templates.join(
          ',',
        )}': ${(error as Error).message}`,
      );
    }
    selectors.push({ text, requirements });
  }
  return { templates, selectors };
}

/** Whether a workflow with these labels belongs to the entity. */
export function isWorkflowInScope(
  sources: WorkflowSources,
  labels: Record<string, string>,
): boolean {
  return sources.selectors.some(s =>
    matchesLabelSelector(s.requirements, labels),
  );
}

/** Where a paged list stopped: which selector, and the API server's continue token in it. */
export interface WorkflowListPosition {
  selector: number;
  continueToken?: string;
}

/**
 * A fingerprint of the selectors (their parsed, canonical forms: rewriting a selector the same
 * way keeps it), so that a token is not used with other ones.
 */
export function fingerprint(sources: WorkflowSources): string {
  return createHash('sha256')
    .update(
      sources.selectors
        .map(s => canonicalLabelSelector(s.requirements))
        .join('\n'),
    )
    .digest('base64url')
    .slice(0, 12);
}

export function encodeContinueToken(
  sources: WorkflowSources,
  position: WorkflowListPosition,
): string {
  return Buffer.from(
    JSON.stringify({
      f: fingerprint(sources),
      s: position.selector,
      c: position.continueToken,
    }),
  ).toString('base64url');
}

/** InputError for a token that is malformed or was made for other selectors. */
export function decodeContinueToken(
  sources: WorkflowSources,
  token: string,
): WorkflowListPosition {
  const invalid = () =>
    new InputError('Invalid continue token: start from the first page');
  let decoded: { f?: unknown; s?: unknown; c?: unknown };
  try {
    decoded = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof decoded !== 'object' || decoded === null) {
    throw invalid();
  }
  if (decoded.f !== fingerprint(sources)) {
    throw typeof decoded.f === 'string'
      ? new InputError(
          "The entity's workflow selector or templates changed since the first page: start again from the first page",
        )
      : invalid();
  }
  if (
    typeof decoded.s !== 'number' ||
    !Number.isInteger(decoded.s) ||
    decoded.s < 0 ||
    decoded.s >= sources.selectors.length ||
    (decoded.c !== undefined && typeof decoded.c !== 'string')
  ) {
    throw invalid();
  }
  return {
    selector: decoded.s,
    continueToken: decoded.c as string | undefined,
  };
}
