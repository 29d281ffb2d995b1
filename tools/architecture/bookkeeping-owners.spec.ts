import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { tablesOutsideOwners } from './bookkeeping-owners';
import { ROOT, workspaceSources } from './source-files';

/**
 * One owner per table: every statement on a projection bookkeeping table is written in the one module that owns it
 * (the batch paths and the status read compose the owners' fragments). Tests and migrations may name the tables.
 */
const OWNERS = {
  projection_checkpoints: 'libs/read/projections/src/bookkeeping/checkpoints.ts',
  projection_parked_events: 'libs/read/projections/src/bookkeeping/parked-events.ts',
  dead_letters: 'libs/read/projections/src/dead-letters/dead-letters.ts',
  projection_status: 'libs/read/projections/src/status/projection-status.ts',
  projection_rebuilds: 'libs/read/projections/src/rebuild/rebuild-records.ts',
};

/**
 * The projections benchmark measures the runtime against hand-written SQL on copies of these tables (the least the
 * bookkeeping costs without the runtime) and checks that the copies end equal to the runtime's rows. The fault
 * matrix's checker reads the checkpoints and dead letters with plain SQL on purpose: it is written without the
 * projections' code, so that it cannot share a bug with them.
 */
const MEASURED_FROM_OUTSIDE = ['bench/projections/main.ts', 'tools/chaos/src/checker/read-side.ts'];

describe('bookkeeping tables', () => {
  it('are named in no source outside their owner module, tests and migrations apart', () => {
    const sources = workspaceSources(['apps', 'libs', 'tools', 'bench', 'e2e']);
    expect(sources.length).toBeGreaterThan(100);
    expect(tablesOutsideOwners(sources, OWNERS, MEASURED_FROM_OUTSIDE)).toEqual([]);
  });

  it.each(Object.entries(OWNERS))('%s has its owner, which names it', (table, owner) => {
    expect(existsSync(path.join(ROOT, owner))).toBe(true);
    expect(readFileSync(path.join(ROOT, owner), 'utf8')).toContain(table);
  });

  describe('the check', () => {
    const owners = { projection_status: 'libs/x/src/status.ts', dead_letters: 'libs/x/src/letters.ts' };

    it('flags a table named outside its owner, in another table’s owner too, by file and line', () => {
      const violations = tablesOutsideOwners(
        [
          {
            path: 'apps/a/src/admin.ts',
            text: 'const x = 1;\nawait db.query(`SELECT * FROM dead_letters`);\n',
          },
          { path: 'libs/x/src/status.ts', text: 'UPDATE projection_status SET …; DELETE FROM dead_letters' },
          { path: 'bench/b/main.ts', text: '// reads projection_status' },
        ],
        owners,
      );
      expect(violations).toEqual([
        { file: 'apps/a/src/admin.ts', line: 2, table: 'dead_letters', owner: 'libs/x/src/letters.ts' },
        { file: 'libs/x/src/status.ts', line: 1, table: 'dead_letters', owner: 'libs/x/src/letters.ts' },
        { file: 'bench/b/main.ts', line: 1, table: 'projection_status', owner: 'libs/x/src/status.ts' },
      ]);
    });

    it('lets the owner, tests, migrations and allowed files name it, and tells it from longer names', () => {
      const named = 'INSERT INTO dead_letters …';
      expect(
        tablesOutsideOwners(
          [
            { path: 'libs/x/src/letters.ts', text: named },
            { path: 'libs/x/src/letters.int-spec.ts', text: named },
            { path: 'apps/a/src/a.spec.ts', text: named },
            { path: 'e2e/src/support.ts', text: named },
            { path: 'libs/x/src/testing/fixtures.ts', text: named },
            { path: 'libs/m/src/migrations/1-schema.migration.ts', text: named },
            { path: 'bench/b/main.ts', text: named },
            { path: 'apps/a/src/metrics.ts', text: "counter('projection_dead_letters_total')" },
            { path: 'apps/a/src/view.ts', text: 'pending_dead_letters: number; projection_status_view' },
          ],
          owners,
          ['bench/b/main.ts'],
        ),
      ).toEqual([]);
    });
  });
});
