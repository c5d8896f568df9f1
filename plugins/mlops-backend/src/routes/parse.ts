import { InputError } from '@backstage/errors';
import { z } from 'zod';

/** Parses a query or body with a zod schema; an InputError names each bad field. */
export function parse<T extends z.ZodType>(
  schema: T,
  value: unknown,
  what: string = 'query',
): z.output<T> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues
      .map(i => `${i.path.join('.') || what}: ${i.message}`)
      .join('; ');
    throw new InputError(`Invalid request: ${issues}`);
  }
  return result.data;
}

/** `tailLines` of the log routes: the last lines to return (default 1000). */
export const tailLines = z.coerce
  .number()
  .int()
  .min(1)
  .max(100_000)
  .default(1000);
