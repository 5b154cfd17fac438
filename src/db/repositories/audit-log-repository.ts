import { EntityRepository } from '@mikro-orm/postgresql';
import type { IAuditLog } from '../entities/audit-log.js';

export class AuditLogRepository extends EntityRepository<IAuditLog> {
  /** The history of one entity, oldest first (served by the entity index). */
  async historyOf(entityName: string, entityId: string, limit = 100): Promise<IAuditLog[]> {
    return this.find({ entityName, entityId }, { orderBy: { createdAt: 'asc', id: 'asc' }, limit });
  }
}
