/**
 * pg-pool's `onConnect` hook for TypeORM's pools: a listener that stays on each connection for its whole life.
 *
 * A pg client emits 'error' when the server ends its session outside a query (`pg_terminate_backend`, a restart),
 * and an 'error' with no listener crashes the process. pg-pool listens while a connection is idle and TypeORM while
 * its query runner holds it, but between the two there is a gap: pg-pool hands the connection over synchronously,
 * TypeORM attaches its listener in a promise callback. A session ended right as it was handed over (its FATAL in the
 * same read as the startup's last message) fell into that gap and took the process down; the fault matrix hit it by
 * terminating the read DB's connections in a loop. Nothing is lost by listening here: the failure still reaches
 * whoever uses the connection (its next query fails, and pg-pool drops it on release).
 */
export function keepConnectionErrorsHandled(client: {
  on(event: 'error', listener: () => void): unknown;
}): void {
  client.on('error', () => undefined);
}
