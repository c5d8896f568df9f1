import { InputError } from '@backstage/errors';
import { SUBMITTABLE_PARAMETERS_ANNOTATION } from '@mlstack/plugin-mlops-common';
import vm from 'node:vm';

/** The longest a pattern may take on one value before the submit is refused. */
export const PATTERN_TIMEOUT_MS = 100;

const matcher = new vm.Script('pattern.test(value)');
const matcherContext = vm.createContext({});

/**
 * Whether the whole value matches the pattern. Patterns come from WorkflowTemplates that any
 * team writes, and a backtracking pattern such as `(a*)*b` can take seconds to minutes on a
 * short value, which would stall the backend for everyone: the match runs under a
 * `PATTERN_TIMEOUT_MS` timeout (V8 interrupts regular expressions too), and a pattern that
 * takes longer is an InputError naming it.
 */
export function matchesWholly(
  pattern: string,
  value: string,
  what: string,
): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`, 'u');
  } catch (error) {
    throw new InputError(
      `${what}: the pattern ${pattern} is not a regular expression (${
        (error as Error).message
      })`,
    );
  }
  matcherContext.pattern = regex;
  matcherContext.value = value;
  try {
    return matcher.runInContext(matcherContext, {
      timeout: PATTERN_TIMEOUT_MS,
    }) as boolean;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') {
      throw new InputError(
        `${what}: its pattern ${pattern} took longer than ${PATTERN_TIMEOUT_MS} ms on this value; the template's ${SUBMITTABLE_PARAMETERS_ANNOTATION} annotation needs a simpler pattern`,
      );
    }
    throw error;
  } finally {
    matcherContext.pattern = undefined;
    matcherContext.value = undefined;
  }
}

/** A parameter's pattern: as the template wrote it, and compiled to match whole values. */
export interface SubmittablePattern {
  source: string;
  regex: RegExp;
}

/** The parameters a template lets portal users set, each with the pattern of its values. */
export interface SubmittableParameters {
  patterns: Map<string, SubmittablePattern>;
  /** Why the annotation was ignored, when it is invalid. */
  error?: string;
}

/** The longest pattern accepted in the annotation. */
const MAX_PATTERN_LENGTH = 500;

/**
 * Reads a WorkflowTemplate's `mlstack.io/submittable-parameters` annotation: a JSON object
 * from parameter name to a regular expression the whole value must match. Absent: no
 * parameter is listed. Invalid (not JSON, not an object of strings, a pattern that does not
 * compile): no parameter is listed, and `error` says why, so a submit can name it.
 */
export function readSubmittableParameters(
  annotations: Record<string, string>,
): SubmittableParameters {
  const text = annotations[SUBMITTABLE_PARAMETERS_ANNOTATION];
  const patterns = new Map<string, SubmittablePattern>();
  if (text === undefined || !text.trim()) {
    return { patterns };
  }
  const invalid = (why: string): SubmittableParameters => ({
    patterns: new Map(),
    error: `the ${SUBMITTABLE_PARAMETERS_ANNOTATION} annotation is invalid: ${why}`,
  });
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return invalid(`not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return invalid(
      'it must be a JSON object from parameter name to a regular expression',
    );
  }
  for (const [name, pattern] of Object.entries(parsed)) {
    if (typeof pattern !== 'string') {
      return invalid(`the pattern of '${name}' is not a string`);
    }
    if (pattern.length > MAX_PATTERN_LENGTH) {
      return invalid(
        `the pattern of '${name}' is longer than ${MAX_PATTERN_LENGTH} characters`,
      );
    }
    try {
      // The whole value must match, whatever anchors the pattern has.
      patterns.set(name, {
        source: pattern,
        regex: new RegExp(`^(?:${pattern})$`, 'u'),
      });
    } catch (error) {
      return invalid(
        `the pattern of '${name}' is not a regular expression (${
          (error as Error).message
        })`,
      );
    }
  }
  return { patterns };
}
