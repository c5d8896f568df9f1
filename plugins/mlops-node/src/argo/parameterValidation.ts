import type { ArgoTemplateParameter } from '@mlstack/plugin-mlops-common';
import { InputError } from '@backstage/errors';
import { SUBMITTABLE_PARAMETERS_ANNOTATION } from '@mlstack/plugin-mlops-common';
import { matchesWholly } from './submittableParameters';

function quoteList(values: string[]): string {
  return values.length > 0 ? values.map(v => `'${v}'`).join(', ') : 'none';
}

/** The longest parameter value a portal user may give. */
const MAX_VALUE_LENGTH = 4096;

/**
 * Checks parameter values a user gives against the parameters a template declares: each must
 * be declared, be a string, and be one of the declared enum values if there are any. With
 * `onlySubmittable`, each must also be submittable (an enum, or listed with a pattern by the
 * template's `mlstack.io/submittable-parameters` annotation) and match its pattern. With
 * `requireAll`, every required parameter (no value, default or valueFrom) must be given.
 * Throws an InputError that names the parameter and what is allowed.
 */
export function validateParameterValues(
  declared: ArgoTemplateParameter[],
  given: Record<string, unknown>,
  options: {
    owner: string;
    requireAll: boolean;
    onlySubmittable?: boolean;
    /** Why the template's submittable-parameters annotation was ignored. */
    submittableError?: string;
  },
): void {
  const byName = new Map(declared.map(p => [p.name, p]));
  for (const [name, value] of Object.entries(given)) {
    const parameter = byName.get(name);
    if (!parameter) {
      throw new InputError(
        `${
          options.owner
        } has no parameter '${name}'; its parameters are: ${quoteList(
          declared.map(p => p.name),
        )}`,
      );
    }
    if (typeof value !== 'string') {
      throw new InputError(
        `Parameter '${name}' of ${
          options.owner
        } must be a string, got ${typeof value}`,
      );
    }
    if (parameter.enum && !parameter.enum.includes(value)) {
      throw new InputError(
        `Parameter '${name}' of ${options.owner} must be one of ${quoteList(
          parameter.enum,
        )}; got '${value}'`,
      );
    }
    if (options.onlySubmittable) {
      assertSubmittable(parameter, value, options);
    }
  }
  if (options.requireAll) {
    const missing = declared
      .filter(p => p.required && !(p.name in given))
      .map(p => p.name);
    if (missing.length > 0) {
      throw new InputError(
        `${options.owner} needs a value for ${
          missing.length === 1 ? 'parameter' : 'parameters'
        } ${quoteList(missing)}`,
      );
    }
  }
}

function assertSubmittable(
  parameter: ArgoTemplateParameter,
  value: string,
  options: { owner: string; submittableError?: string },
): void {
  const { name } = parameter;
  if (!parameter.submittable) {
    const why = options.submittableError
      ? `${options.submittableError}, so only parameters with an enum may be set`
      : `only parameters with an enum or listed in its ${SUBMITTABLE_PARAMETERS_ANNOTATION} annotation may be set`;
    throw new InputError(
      `Parameter '${name}' of ${options.owner} cannot be set from the portal: ${why}`,
    );
  }
  if (value.length > MAX_VALUE_LENGTH) {
    throw new InputError(
      `Parameter '${name}' of ${options.owner} is longer than ${MAX_VALUE_LENGTH} characters`,
    );
  }
  if (
    parameter.pattern !== undefined &&
    !matchesWholly(
      parameter.pattern,
      value,
      `Parameter '${name}' of ${options.owner}`,
    )
  ) {
    throw new InputError(
      `Parameter '${name}' of ${options.owner} must match ${parameter.pattern}; got '${value}'`,
    );
  }
}

/**
 * Argo's `overrideParameters`: the given parameters in the order given, then the existing ones
 * that were not overridden.
 */
export function overrideParameters(
  existing: unknown[],
  given: Record<string, string>,
): unknown[] {
  const overridden = Object.entries(given).map(([name, value]) => ({
    name,
    value,
  }));
  const kept = existing.filter(parameter => {
    const name =
      typeof parameter === 'object' && parameter !== null
        ? (parameter as { name?: unknown }).name
        : undefined;
    return typeof name !== 'string' || !(name in given);
  });
  return [...overridden, ...kept];
}
