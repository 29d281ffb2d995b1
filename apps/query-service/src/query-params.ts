import { validationProblem } from '@tandem/platform/http';

/** Refuses query parameters a route does not know, naming each, so a typo is never a silently ignored filter. */
export function rejectUnknownParams(params: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(params).filter((name) => !known.includes(name));
  if (unknown.length > 0) {
    throw validationProblem(
      unknown.map((field) => ({
        field,
        message: `is not a parameter of this route (known: ${known.join(', ')})`,
      })),
    );
  }
}
