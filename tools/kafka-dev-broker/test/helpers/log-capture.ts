/** Collects broker log lines so tests can assert that a case was logged (and keep the test output quiet). */
export class LogCapture {
  readonly lines: string[] = [];
  private waiters: Array<{ pattern: RegExp; resolve: (line: string) => void }> = [];

  readonly logger = (line: string): void => {
    this.lines.push(line);
    if (process.env.KAFKA_DEV_BROKER_LOG) process.stderr.write(`[broker] ${line}\n`);
    this.waiters = this.waiters.filter((w) => {
      if (!w.pattern.test(line)) return true;
      w.resolve(line);
      return false;
    });
  };

  waitFor(pattern: RegExp, timeoutMs = 10_000): Promise<string> {
    const seen = this.lines.find((line) => pattern.test(line));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no log line matching ${pattern} within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.waiters.push({
        pattern,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }

  matching(pattern: RegExp): string[] {
    return this.lines.filter((line) => pattern.test(line));
  }
}
