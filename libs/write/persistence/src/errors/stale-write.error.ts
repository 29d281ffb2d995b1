/** A row changed between load and write. Internal: the transaction runner retries the command on fresh state. */
export class StaleWrite extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StaleWrite';
  }
}
