import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { newId } from '../ids.js';
import { ApiKeyRepository } from '../repositories/api-key-repository.js';
import { User } from './user.js';

export const ApiKey = defineEntity({
  name: 'ApiKey',
  tableName: 'api_keys',
  repository: () => ApiKeyRepository,
  properties: {
    id: p.uuid().primary().onCreate(() => newId()),
    user: () => p.manyToOne(User).deleteRule('cascade').index('api_keys_user_id_index'),
    name: p.string().length(100),
    /** SHA-256 of the key, hex: the key itself is shown once and never stored. */
    keyHash: p.string().length(64).unique('api_keys_key_hash_unique'),
    scopes: p.array().default([]),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastUsedAt: p.datetime().nullable(),
    expiresAt: p.datetime().nullable(),
    revokedAt: p.datetime().nullable(),
  },
});

export type IApiKey = InferEntity<typeof ApiKey>;
