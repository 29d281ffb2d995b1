import { readFileSync } from 'node:fs';
import type { FaultRow } from './run-fault';

/** The machine's 1-minute load average now (the machine is shared: figures are read against it). */
export function loadAverage(): number {
  try {
    return Number(readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  } catch {
    return NaN;
  }
}

const seconds = (ms: number | null) => (ms === null ? 'none' : `${(ms / 1000).toFixed(1)} s`);

/** The matrix as a Markdown table, then each failure under its fault. */
export function matrixTable(rows: readonly FaultRow[]): string {
  const header = [
    '| # | fault | commands | acknowledged | lost | doubled in read models | mismatched rows | max lag during the fault | recovery time | duplicates on Kafka | ok |',
    '| -: | --- | -: | -: | -: | -: | -: | -: | -: | -: | :-: |',
  ];
  const lines = rows.map(
    (r) =>
      `| ${r.id} | ${r.fault} | ${r.commands} | ${r.acknowledged} | ${r.lost} | ${r.doubled} | ${r.mismatchedRows} | ${seconds(r.maxLagMs)} | ${seconds(r.recoveryMs)} | ${r.duplicatesOnKafka} | ${r.ok ? 'yes' : 'NO'} |`,
  );
  const failures = rows.flatMap((r) => r.failures.map((f) => `- fault ${r.id}: ${f}`));
  return [...header, ...lines, ...(failures.length > 0 ? ['', 'Failures:', ...failures] : [])].join('\n');
}
