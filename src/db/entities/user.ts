import { defineEntity, p, type InferEntity } from '@mikro-orm/core';
import { newId } from '../ids.js';
import { UserRepository } from '../repositories/user-repository.js';
import { ApiKey } from './api-key.js';
import { NOT_DELETED } from './filters.js';


export const User = defineEntity({
  name: 'User',
  tableName: 'users',
  repository: () => UserRepository,
  filters: { [NOT_DELETED]: { name: NOT_DELETED, cond: { deletedAt: null }, default: true } },
  properties: {
    id: p.uuid().primary().onCreate(() => newId()),
    username: p.string().length(64).unique('users_username_unique'),
    email: p.string().length(254).unique('users_email_unique'),
    active: p.boolean().default(true),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p.datetime().onCreate(() => new Date()).onUpdate(() => new Date()),
    deletedAt: p.datetime().nullable().index('users_deleted_at_index'),
    apiKeys: () => p.oneToMany(ApiKey).mappedBy('user'),
  },
  indexes: [
    { properties: ['active', 'createdAt'], name: 'users_active_created_at_index' },
    { properties: ['createdAt', 'id'], name: 'users_created_at_id_index' },
  ],
});

export type IUser = InferEntity<typeof User>;
