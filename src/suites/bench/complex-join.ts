import { defineSimpleBench, expectThat } from './simple-bench.js';

/**
 * bench.complex.join: loads random seeded live users with their API keys in one joined query
 * (`s.users.getWithApiKeys(id)`; every fifth seeded user has one or two keys).
 * Criterion: every call succeeds, returns that user and its keys collection loaded.
 */
export const complexJoin = defineSimpleBench('bench.complex.join', (ctx) => ({
  operation: async () => {
    const { id } = ctx.random.pick(ctx.seed.live);
    const user = await ctx.db.read((s) => s.users.getWithApiKeys(id));
    expectThat(user.id === id && user.apiKeys.isInitialized(), `user ${id} with its keys loaded`);
  },
}));
