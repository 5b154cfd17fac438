import { createHash, randomBytes } from 'node:crypto';
import { EntityRepository } from '@mikro-orm/postgresql';
import type { IApiKey } from '../entities/api-key.js';
import { NotFoundError } from '../errors.js';
import { newId } from '../ids.js';
import { queueAudit, type Actor } from './audit.js';
import { flushTranslated } from './flush.js';

export interface NewApiKey {
  name: string;
  scopes?: string[];
  expiresAt?: Date | null;
}

/** The stored key and the secret itself, which is returned once and never stored. */
export interface IssuedApiKey {
  apiKey: IApiKey;
  secret: string;
}

export interface KeysPerUser {
  userId: string;
  keys: number;
  active: number;
}

/** SHA-256 of a key secret, hex: what the database keeps. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export class ApiKeyRepository extends EntityRepository<IApiKey> {
  /** Issues a key for a live user; the audit row is written in the same flush. */
  async issue(userId: string, input: NewApiKey, actor: Actor = null): Promise<IssuedApiKey> {
    const user = await this.em.findOne('User', { id: userId });
    if (!user) throw new NotFoundError('User', userId);
    const secret = `pg_${randomBytes(24).toString('base64url')}`;
    const apiKey = this.create({
      id: newId(),
      user: userId,
      name: input.name,
      keyHash: hashApiKey(secret),
      scopes: input.scopes ?? [],
      expiresAt: input.expiresAt ?? null,
    });
    queueAudit(this.em, 'create', { name: 'ApiKey', id: apiKey.id }, actor, { userId, name: input.name });
    await flushTranslated(this.em);
    return { apiKey, secret };
  }

  /** The live key for a secret (not revoked, not expired), marking it used; NotFoundError otherwise. */
  async verify(secret: string, now: Date = new Date()): Promise<IApiKey> {
    const apiKey = await this.findOne({
      keyHash: hashApiKey(secret),
      revokedAt: null,
      $or: [{ expiresAt: null }, { expiresAt: { $gt: now } }],
    });
    if (!apiKey) throw new NotFoundError('ApiKey', 'given secret');
    apiKey.lastUsedAt = now;
    await flushTranslated(this.em);
    return apiKey;
  }

  async revoke(id: string, actor: Actor = null): Promise<void> {
    const apiKey = await this.findOne({ id, revokedAt: null });
    if (!apiKey) throw new NotFoundError('ApiKey', id);
    apiKey.revokedAt = new Date();
    queueAudit(this.em, 'revoke', { name: 'ApiKey', id }, actor);
    await flushTranslated(this.em);
  }

  /** API keys per live user (users without keys are left out), most keys first. */
  async countPerUser(limit = 100): Promise<KeysPerUser[]> {
    const rows: Array<{ user_id: string; keys: string; active: string }> = await this.em.execute(
      `select k.user_id, count(*) as keys, count(*) filter (where k.revoked_at is null) as active
         from api_keys k join users u on u.id = k.user_id and u.deleted_at is null
        group by k.user_id order by keys desc, k.user_id limit ?`,
      [limit],
    );
    return rows.map((row) => ({ userId: row.user_id, keys: Number(row.keys), active: Number(row.active) }));
  }

}
