import { ApiKey } from './api-key.js';
import { AuditLog } from './audit-log.js';
import { User } from './user.js';

export { ApiKey, AuditLog, User };
export type { IApiKey } from './api-key.js';
export type { IAuditLog, AuditAction } from './audit-log.js';
export type { IUser } from './user.js';

/** Every entity, listed explicitly: the bundle does no file-system discovery. */
export const ENTITIES = [User, ApiKey, AuditLog];
