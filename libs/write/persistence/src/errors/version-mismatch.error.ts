/** The client's `If-Match` version is not the aggregate's current version: nothing was written (HTTP 412). */
export class VersionMismatch extends Error {
  readonly code = 'precondition.version-mismatch';
  readonly kind = 'precondition-failed';
  readonly details: { expectedVersion: number; currentVersion: number };
  constructor(expectedVersion: number, currentVersion: number) {
    super(
      `If-Match names version ${expectedVersion}, but the current version is ${currentVersion}. Reload and retry.`,
    );
    this.name = 'VersionMismatch';
    this.details = { expectedVersion, currentVersion };
  }
}
