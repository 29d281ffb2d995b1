import { isMigration, isTest, type SourceFile } from './source-files';

/** A table named outside the module that owns it. */
export interface OwnershipViolation {
  file: string;
  line: number;
  table: string;
  owner: string;
}

/**
 * Every place a table of `owners` (table name → the one file allowed to name it) is named in a source that is
 * neither a test nor a migration nor in `allowed`, outside its owner. A name counts as a whole word: `x_dead_letters`
 * or `dead_letters_total` are other names.
 */
export function tablesOutsideOwners(
  files: readonly SourceFile[],
  owners: Readonly<Record<string, string>>,
  allowed: readonly string[] = [],
): OwnershipViolation[] {
  const violations: OwnershipViolation[] = [];
  const tables = Object.entries(owners).map(([table, owner]) => ({
    table,
    owner,
    pattern: new RegExp(`(?<![A-Za-z0-9_])${table}(?![A-Za-z0-9_])`),
  }));
  for (const file of files) {
    if (isTest(file.path) || isMigration(file.path) || allowed.includes(file.path)) continue;
    file.text.split('\n').forEach((text, index) => {
      for (const { table, owner, pattern } of tables) {
        if (file.path !== owner && pattern.test(text))
          violations.push({ file: file.path, line: index + 1, table, owner });
      }
    });
  }
  return violations;
}
