/**
 * Kubernetes label selectors as `kubectl -l` and the API server's `labelSelector` take them
 * (k8s.io/apimachinery `labels.Parse`): comma-separated requirements, each `key`, `!key`,
 * `key=value`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`, `key>1` or
 * `key<1`. Parsed here so that a bad annotation is reported before any API call, and so that
 * one workflow can be checked against a selector without listing.
 */

import { isDns1123Subdomain } from '@mlstack/plugin-mlops-common';

export type LabelRequirement =
  | { key: string; operator: 'exists' | 'doesNotExist' }
  | { key: string; operator: 'in' | 'notIn'; values: string[] }
  | { key: string; operator: 'gt' | 'lt'; value: number };

export class LabelSelectorSyntaxError extends Error {}

const NAME = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)$/;

function checkKey(key: string): string {
  const slash = key.indexOf('/');
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (prefix !== undefined && !isDns1123Subdomain(prefix)) {
    throw new LabelSelectorSyntaxError(
      `'${key}' has an invalid prefix: it must be a DNS subdomain (lower case, at most 253 characters)`,
    );
  }
  if (!name || name.length > 63 || !NAME.test(name)) {
    throw new LabelSelectorSyntaxError(
      `'${key}' is not a valid label key: a name of at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit, with an optional DNS prefix and '/'`,
    );
  }
  return key;
}

function checkValue(value: string): string {
  if (value.length > 63 || (value !== '' && !NAME.test(value))) {
    throw new LabelSelectorSyntaxError(
      `'${value}' is not a valid label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit`,
    );
  }
  return value;
}

/** Splits on the commas that are not inside parentheses. */
function splitRequirements(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '(') {
      depth++;
      if (depth > 1) {
        throw new LabelSelectorSyntaxError('nested parentheses');
      }
    } else if (c === ')') {
      depth--;
      if (depth < 0) {
        throw new LabelSelectorSyntaxError("a ')' without its '('");
      }
    } else if (c === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  if (depth !== 0) {
    throw new LabelSelectorSyntaxError("a '(' without its ')'");
  }
  parts.push(text.slice(start));
  return parts.map(p => p.trim());
}

const SET = /^(\S+)\s+(in|notin)\s*\(([^()]*)\)$/;
const EQUALITY = /^([^=!<>\s]+)\s*(==|=|!=)\s*([^=!<>\s,]*)$/;
const COMPARISON = /^([^=!<>\s]+)\s*([<>])\s*(\S+)$/;

function parseRequirement(text: string): LabelRequirement {
  if (!text) {
    throw new LabelSelectorSyntaxError(
      'an empty requirement (two commas in a row, or a trailing comma)',
    );
  }
  let match = SET.exec(text);
  if (match) {
    const values = match[3].split(',').map(v => checkValue(v.trim()));
    return {
      key: checkKey(match[1]),
      operator: match[2] === 'in' ? 'in' : 'notIn',
      values,
    };
  }
  match = EQUALITY.exec(text);
  if (match) {
    return {
      key: checkKey(match[1]),
      operator: match[2] === '!=' ? 'notIn' : 'in',
      values: [checkValue(match[3])],
    };
  }
  match = COMPARISON.exec(text);
  if (match) {
    if (!/^-?\d+$/.test(match[3])) {
      throw new LabelSelectorSyntaxError(
        `'${text}': '${match[2]}' needs an integer`,
      );
    }
    return {
      key: checkKey(match[1]),
      operator: match[2] === '>' ? 'gt' : 'lt',
      value: Number(match[3]),
    };
  }
  if (text.startsWith('!')) {
    return { key: checkKey(text.slice(1).trim()), operator: 'doesNotExist' };
  }
  if (/^\S+$/.test(text)) {
    return { key: checkKey(text), operator: 'exists' };
  }
  throw new LabelSelectorSyntaxError(`'${text}' is not a requirement`);
}

/** Parses a selector; throws a LabelSelectorSyntaxError that says what is wrong. */
export function parseLabelSelector(text: string): LabelRequirement[] {
  const trimmed = text.trim();
  if (!trimmed) {
    throw new LabelSelectorSyntaxError('the selector is empty');
  }
  return splitRequirements(trimmed).map(parseRequirement);
}

/** Whether labels satisfy every requirement, as the API server decides it. */
export function matchesLabelSelector(
  requirements: LabelRequirement[],
  labels: Record<string, string>,
): boolean {
  return requirements.every(requirement => {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const value = labels[requirement.key];
    switch (requirement.operator) {
      case 'exists':
        return has;
      case 'doesNotExist':
        return !has;
      case 'in':
        return has && requirement.values.includes(value);
      case 'notIn':
        return !has || !requirement.values.includes(value);
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(value)) {
          return false;
        }
        const number = Number(value);
        return requirement.operator === 'gt'
          ? number > requirement.value
          : number < requirement.value;
      }
      default:
        return false;
    }
  });
}

/** Code-unit order, the same on every machine (unlike localeCompare). */
function byText(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function requirementText(requirement: LabelRequirement): string {
  const { key } = requirement;
  switch (requirement.operator) {
    case 'exists':
      return key;
    case 'doesNotExist':
      return `!${key}`;
    case 'in':
    case 'notIn': {
      const values = [...new Set(requirement.values)].sort(byText);
      if (values.length === 1) {
        return `${key}${requirement.operator === 'in' ? '=' : '!='}${
          values[0]
        }`;
      }
      return `${key} ${
        requirement.operator === 'in' ? 'in' : 'notin'
      } (${values.join(',')})`;
    }
    case 'gt':
      return `${key}>${requirement.value}`;
    case 'lt':
      return `${key}<${requirement.value}`;
    default:
      throw new LabelSelectorSyntaxError('unknown requirement');
  }
}

/**
 * One text for every way of writing the same parsed selector, itself a valid selector:
 * requirements sorted (by key, then text) without duplicates, `==` and one-value `in` written
 * `=`, one-value `notin` written `!=`, set values sorted without duplicates, no extra spaces.
 * `a=b,c=d`, `c=d, a=b` and `a==b,c=d` all give `a=b,c=d`.
 */
export function canonicalLabelSelector(
  requirements: LabelRequirement[],
): string {
  const texts = requirements.map(r => ({
    key: r.key,
    text: requirementText(r),
  }));
  texts.sort((a, b) => byText(a.key, b.key) || byText(a.text, b.text));
  return [...new Set(texts.map(t => t.text))].join(',');
}
