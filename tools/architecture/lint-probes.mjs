// Lints virtual probe files with the workspace ESLint configuration (the one `nx lint` runs) and prints the
// module-boundary messages per probe as JSON. Input on stdin: [{ "file": "libs/...", "imports": "@tandem/..." }].
import { createProjectGraphAsync } from '@nx/devkit';
import { ESLint } from 'eslint';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
let input = '';
for await (const chunk of process.stdin) input += chunk;
const probes = JSON.parse(input);
// The boundary rule reads Nx's cached project graph and silently skips itself when there is none (a fresh
// clone where nothing has run nx yet), so build the graph first.
await createProjectGraphAsync({ exitOnError: true });
const eslint = new ESLint({ cwd: root });
const results = [];
for (const probe of probes) {
  const code = `import * as probe from '${probe.imports}';\nexport const used = probe;\n`;
  const [result] = await eslint.lintText(code, { filePath: path.join(root, probe.file) });
  results.push(
    (result?.messages ?? [])
      .filter(
        (m) =>
          m.ruleId === '@nx/enforce-module-boundaries' || m.ruleId === 'no-restricted-imports' || m.fatal,
      )
      .map((m) => m.message),
  );
}
process.stdout.write(JSON.stringify(results));
