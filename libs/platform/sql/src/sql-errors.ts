/** The SQLSTATE of an error, as pg's own error or TypeORM's QueryFailedError (its `driverError`) carries it. */
export function sqlState(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, driverError } = error as { code?: unknown; driverError?: { code?: unknown } };
  if (typeof code === 'string') return code;
  return typeof driverError?.code === 'string' ? driverError.code : undefined;
}

/** PostgreSQL `unique_violation`. */
export function isUniqueViolation(error: unknown): boolean {
  return sqlState(error) === '23505';
}
