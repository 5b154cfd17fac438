import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { newId } from '../ids.js';
import { AuditLogRepository } from '../repositories/audit-log-repository.js';

export const AUDIT_ACTIONS = ['create', 'update', 'soft_delete', 'restore', 'bulk_create', 'bulk_update', 'revoke', 'deactivate'] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

export const AuditLog = defineEntity({
  name: 'AuditLog',
  tableName: 'audit_logs',
  repository: () => AuditLogRepository,
  properties: {
    id: p.uuid().primary().onCreate(() => newId()),
    action: p.string().length(32).$type<AuditAction>(),
    entityName: p.string().length(64),
    entityId: p.uuid(),
    actor: p.string().length(128).nullable(),
    payload: p.json<Record<string, unknown>>().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
  indexes: [{ properties: ['entityName', 'entityId', 'createdAt'], name: 'audit_logs_entity_index' }],
});

export type IAuditLog = InferEntity<typeof AuditLog>;
