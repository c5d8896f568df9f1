/**
 * A small YAML emitter for the JSON documents the backend answers (manifests in deploy
 * previews): block style, two-space indents, strings quoted as JSON (a YAML double-quoted
 * scalar) unless they are unambiguous plain scalars.
 */

const PLAIN = /^[A-Za-z/][\w./:@-]*$/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalarString(value: string): string {
  if (PLAIN.test(value) && !value.endsWith(':') && !RESERVED.test(value)) {
    return value;
  }
  return JSON.stringify(value);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(value: Record<string, unknown>): Array<[string, unknown]> {
  return Object.entries(value).filter(([, v]) => v !== undefined);
}

/** Whether a value is written as a block (a non-empty mapping or sequence). */
function isBlock(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  return isPlainObject(value) && entries(value).length > 0;
}

function inline(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'string') {
    return scalarString(value);
  }
  if (typeof value === 'number' || typeof value === 'boolean') {
    return String(value);
  }
  return Array.isArray(value) ? '[]' : '{}';
}

function block(value: unknown): string[] {
  const lines: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value) {
      if (isBlock(item)) {
        const [first, ...rest] = block(item);
        lines.push(`- ${first}`, ...rest.map(l => `  ${l}`));
      } else {
        lines.push(`- ${inline(item)}`);
      }
    }
    return lines;
  }
  for (const [key, v] of entries(value as Record<string, unknown>)) {
    if (isBlock(v)) {
      lines.push(`${scalarString(key)}:`, ...block(v).map(l => `  ${l}`));
    } else {
      lines.push(`${scalarString(key)}: ${inline(v)}`);
    }
  }
  return lines;
}

/** `value` (a JSON document) as YAML text, ending with a newline. */
export function toYaml(value: unknown): string {
  return `${isBlock(value) ? block(value).join('\n') : inline(value)}\n`;
}
