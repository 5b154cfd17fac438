import { defineSimpleBench, expectThat } from './simple-bench.js';

/**
 * bench.query.get_by_username: looks up random seeded live users by username (unique index), one
 * read session each (`s.users.getByUsername(name)`).
 * Criterion: every call succeeds and returns that user. (Target avg < 20 ms: thresholds.json.)
 */
export const queryGetByUsername = defineSimpleBench('bench.query.get_by_username', (ctx) => ({
  operation: async () => {
    const { id, username } = ctx.random.pick(ctx.seed.live);
    const user = await ctx.db.read((s) => s.users.getByUsername(username));
    expectThat(user.id === id, `username ${username} gave ${user.id}, expected ${id}`);
  },
}));
