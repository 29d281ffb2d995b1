/**
 * Whether a failure may pass if retried: the database is unreachable, restarting, overloaded, or chose this
 * transaction as a deadlock or serialization victim. Anything else (a constraint, bad data) will fail again.
 */
export function isTransientError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as Error & { code?: unknown }).code;
  if (typeof code === 'string') {
    if (/^(08|53|57P|58)/.test(code)) return true; // connection, resources, operator intervention, system
    if (code === '40001' || code === '40P01') return true; // serialization failure, deadlock
    if (/^(ECONN|ETIMEDOUT|EPIPE|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH)/.test(code)) return true;
  }
  const driverError = (error as Error & { driverError?: unknown }).driverError;
  if (driverError && driverError !== error && isTransientError(driverError)) return true;
  return /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|not queryable|Connection is not established|is not currently accepting connections|ECONNREFUSED|ECONNRESET/i.test(
    error.message,
  );
}
