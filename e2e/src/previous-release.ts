import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support';

/**
 * The release before OrderLineAdded.v2: main's last commit before that change. Pinned, not computed (`git merge-base
 * HEAD main` becomes HEAD itself once this is merged): the rolling-upgrade test must run the code that was really
 * deployed before, and moves to the next release's base only when a later change needs an upgrade test of its own.
 */
export const PREVIOUS_RELEASE = 'e18565a5482327f9784315fbda8b9f876750ab56';

export interface PreviousRelease {
  sha: string;
  /** `dist/apps/<app>/main.js` of that commit, built by its own build script. */
  script(app: 'command-service' | 'projection-service'): string;
  /** How long the build took, 0 when it came from the cache. */
  buildMs: number;
}

/**
 * The previous release's command service and projection service, built once from git into
 * `.cache/previous-release/<sha>` (its files by `git archive`, this checkout's `node_modules` by symlink: the
 * release's dependencies are the same, and its build bundles only its own code). Fails when the commit is not in the
 * history (a shallow clone): fetch it, the test cannot stand in for it.
 */
export function previousRelease(sha = PREVIOUS_RELEASE): PreviousRelease {
  const dir = path.join(ROOT, '.cache/previous-release', sha);
  const script = (app: string) => path.join(dir, 'dist/apps', app, 'main.js');
  const built = ['command-service', 'projection-service'].every((app) => existsSync(script(app)));
  let buildMs = 0;
  if (!built) {
    const started = Date.now();
    try {
      execFileSync('git', ['-C', ROOT, 'cat-file', '-e', `${sha}^{commit}`], { stdio: 'ignore' });
    } catch {
      throw new Error(`the previous release ${sha} is not in this repository's history: git fetch it first`);
    }
    const staging = `${dir}.${process.pid}`;
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging, { recursive: true });
    const archive = execFileSync('git', ['-C', ROOT, 'archive', '--format=tar', sha], {
      maxBuffer: 512 * 1024 * 1024,
    });
    execFileSync('tar', ['-x', '-C', staging], { input: archive });
    symlinkSync(path.join(ROOT, 'node_modules'), path.join(staging, 'node_modules'), 'dir');
    execFileSync(process.execPath, ['tools/build/build.mjs', 'command-service', 'projection-service'], {
      cwd: staging,
      stdio: 'ignore',
    });
    rmSync(dir, { recursive: true, force: true });
    renameSync(staging, dir);
    buildMs = Date.now() - started;
  }
  // The point of the test: this must be the code from before v2, which neither writes nor reads it.
  const contract = readFileSync(
    path.join(dir, 'libs/contracts/src/events/order-line-added.event.ts'),
    'utf8',
  );
  if (/version: 2/.test(contract))
    throw new Error(`${sha} already has OrderLineAdded.v2: it is no previous release`);
  return { sha, script, buildMs };
}
