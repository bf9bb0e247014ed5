/** The audit log: who, what, which object, result, from where, when — never a secret. */
import type { Pool } from '../db/pool.ts';
import type { Principal } from './principal.ts';

export interface AuditEntry {
  action: string;
  result: 'ok' | 'denied' | 'failed';
  objectType?: string;
  objectId?: string | number | undefined;
  ip?: string | undefined;
  detail?: Record<string, unknown>;
}

export type Audit = (p: Principal | null, entry: AuditEntry) => Promise<void>;

export function auditLog(pool: Pool, logError: (msg: string) => void = console.error): Audit {
  return async (p, e) => {
    try {
      await pool.query(
        'INSERT INTO audit_log (user_id, org_id, action, object_type, object_id, result, ip, detail) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)',
        [p?.userId ?? null, p?.orgId ?? null, e.action, e.objectType ?? null, e.objectId === undefined ? null : String(e.objectId), e.result, e.ip ?? null, JSON.stringify(e.detail ?? {})],
      );
    } catch (err) {
      // an audit failure must be visible to operators but not break the request it describes
      logError(`audit log write failed (${e.action}): ${err instanceof Error ? err.message : String(err)}`);
    }
  };
}
