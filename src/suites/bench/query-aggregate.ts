import { defineSimpleBench, expectThat } from './simple-bench.js';

/**
 * bench.query.aggregate: counts users by state (live active, live inactive, soft-deleted) in one
 * aggregate query over the whole table (`s.users.countByState()`).
 * Criterion: every call succeeds and counts at least the seeded users.
 */
export const queryAggregate = defineSimpleBench('bench.query.aggregate', (ctx) => ({
  operation: async () => {
    const counts = await ctx.db.read((s) => s.users.countByState());
    expectThat(counts.total >= ctx.seed.users, `total ${counts.total} < ${ctx.seed.users} seeded users`);
  },
}));
