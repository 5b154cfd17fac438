import type { EntityManager } from '@mikro-orm/postgresql';
import { AuditLog, type AuditAction } from '../entities/audit-log.js';

/** Who did a change, written to every audit row. */
export type Actor = string | null;

/**
 * Queues the audit row of a change on the same unit of work, so the next flush writes the change
 * and its audit row in one transaction: if either fails, neither is stored.
 */
export function queueAudit(
  em: EntityManager,
  action: AuditAction,
  entity: { name: string; id: string },
  actor: Actor,
  payload: Record<string, unknown> | null = null,
): void {
  em.create(AuditLog, { action, entityName: entity.name, entityId: entity.id, actor, payload });
}
