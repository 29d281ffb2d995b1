import { firstLines, isGenerated, isTest, lineCount, type SourceFile } from './source-files';

export const MAX_LINES = 300;

/** The comment that lets a file be longer, among its first five lines: `// Longer than 300 lines because …`. */
const REASON = new RegExp(`^\\s*(//|/\\*+|\\*)\\s*Longer than ${MAX_LINES} lines because\\s+\\S`, 'i');

/** Where files must stay short: the projection runtime and every app's sources. */
export function inScope(file: string): boolean {
  return file.startsWith('libs/read/projections/src/') || /^apps\/[^/]+\/src\//.test(file);
}

/** Files in scope, not tests and not generated, longer than `MAX_LINES` without a reason at their top. */
export function longFilesWithoutReason(files: readonly SourceFile[]): Array<{ file: string; lines: number }> {
  return files
    .filter((file) => inScope(file.path) && !isTest(file.path) && !isGenerated(file.text))
    .map((file) => ({ file: file.path, lines: lineCount(file.text), text: file.text }))
    .filter(({ lines, text }) => lines > MAX_LINES && !firstLines(text, 5).some((line) => REASON.test(line)))
    .map(({ file, lines }) => ({ file, lines }));
}
