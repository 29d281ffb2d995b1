import type { DataSource } from 'typeorm';
import type { Principal } from '@tandem/platform/auth';

export interface AuditEntry {
  action: 'rebuild' | 'replay';
  projection: string;
  /** A dead letter's id. */
  target?: string;
  /** What was asked beyond the target: a replay's corrected payload. */
  detail?: unknown;
  /** How it ended: `started`, `replayed`, or the problem code it was refused with. */
  outcome: string;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: string;
  subject: string;
  roles: string[];
}

/** The operators' audit trail in the read DB (`admin_audit`): appended to, never changed. */
export class AdminAudit {
  constructor(private readonly dataSource: () => DataSource) {}

  async record(principal: Principal, entry: AuditEntry): Promise<void> {
    await this.dataSource().query(
      `INSERT INTO admin_audit (subject, roles, action, projection, target, detail, outcome)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        principal.subject,
        principal.roles,
        entry.action,
        entry.projection,
        entry.target ?? null,
        entry.detail === undefined ? null : JSON.stringify(entry.detail),
        entry.outcome,
      ],
    );
  }

  /** Newest first. */
  async recent(limit: number): Promise<AuditRecord[]> {
    const rows: Array<Record<string, unknown>> = await this.dataSource().query(
      `SELECT id::text AS id, at, subject, roles, action, projection, target, detail, outcome
       FROM admin_audit ORDER BY id DESC LIMIT $1`,
      [limit],
    );
    return rows.map((row) => ({
      id: String(row.id),
      at: new Date(String(row.at)).toISOString(),
      subject: String(row.subject),
      roles: row.roles as string[],
      action: row.action as AuditEntry['action'],
      projection: String(row.projection),
      ...(row.target === null ? {} : { target: String(row.target) }),
      ...(row.detail === null ? {} : { detail: row.detail }),
      outcome: String(row.outcome),
    }));
  }
}
