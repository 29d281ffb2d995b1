/** Things a test opened, closed in reverse order after it whatever happened, so no handle outlives a test. */
export class Cleanup {
  private readonly steps: Array<() => unknown> = [];

  add<T>(value: T, close: (value: T) => unknown): T {
    this.steps.push(() => close(value));
    return value;
  }

  async run(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop();
      try {
        await step?.();
      } catch {
        // Closing is best effort: a client already failed must not hide the test's own error.
      }
    }
  }
}
