import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { formattedFeatureMap } from './formatted';

// Writes docs/feature-map.md from the code it describes. `--check` writes nothing and fails when the file is out of
// date (what the spec beside it runs).
const target = join(__dirname, '..', '..', '..', 'docs', 'feature-map.md');
const check = process.argv.includes('--check');
formattedFeatureMap(target)
  .then((text) => {
    if (!check) {
      writeFileSync(target, text);
      console.log(`feature map written to ${target}`);
    } else if (readFileSync(target, 'utf8') !== text) {
      console.error('docs/feature-map.md is out of date: run `npm run docs:feature-map`');
      process.exitCode = 1;
    }
  })
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
