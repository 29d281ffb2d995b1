import { execFile, spawnSync } from 'node:child_process';

// librdkafka, through kcat, is the second client the broker must satisfy. CI installs kcat, so there a missing
// kcat is a failure; elsewhere kcat tests are skipped and say why.
export const hasKcat = spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
const inCi = Boolean(process.env.CI);
if (!hasKcat && !inCi) {
  console.warn(
    'kcat is not on PATH: skipping the librdkafka tests (install it with `apt-get install -y kcat`).',
  );
}
/** `it` where kcat runs or CI demands it, else `it.skip`. */
export const itKcat = hasKcat || inCi ? it : it.skip;

/** Runs kcat with `args` (and `input` on stdin); resolves its stdout, rejects with its stderr. */
export function kcat(args: string[], input?: string, timeoutMs = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'kcat',
      args,
      { timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`kcat ${args.join(' ')} failed: ${err.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}
