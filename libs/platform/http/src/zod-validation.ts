import type { z } from 'zod';
import { validationProblem, type FieldError } from './problem';

export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  return error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = [prefix, path].filter((p) => p.length > 0).join('.') || '(body)';
    if (issue.code === 'unrecognized_keys') {
      return { field, message: `unknown field(s): ${issue.keys.join(', ')}` };
    }
    return { field, message: issue.message };
  });
}

/** Parses a value or throws a 400 problem naming each bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (!result.success) throw validationProblem(fieldErrors(result.error, prefix));
  return result.data;
}
