// Lints virtual probe files with the workspace ESLint configuration (the one `nx lint` runs) and prints the
// module-boundary messages per probe as JSON. Input on stdin: [{ "file": "libs/...", "imports": "@tandem/..." }].
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const probes = JSON.parse(input);
const eslint = new ESLint({ cwd: root });
const results = [];
for (const probe of probes) {
  const code = `import * as probe from '${probe.imports}';\nexport const used = probe;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, probe.file) });
  results.push(
    (result?.messages ?? [])
      .filter((m) => m.ruleId === '@nx/enforce-module-boundaries' || m.fatal)
      .map((m) => m.message),
  );
}
process.stdout.write(JSON.stringify(results));
