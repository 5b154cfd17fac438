import { defineSimpleBench, expectThat } from './simple-bench.js';

/**
 * bench.query.get_by_email: looks up random seeded live users by email (unique index), one read
 * session each (`s.users.getByEmail(email)`).
 * Criterion: every call succeeds and returns that user. (Target avg < 20 ms: thresholds.json.)
 */
export const queryGetByEmail = defineSimpleBench('bench.query.get_by_email', (ctx) => ({
  operation: async () => {
    const { id, email } = ctx.random.pick(ctx.seed.live);
    const user = await ctx.db.read((s) => s.users.getByEmail(email));
    expectThat(user.id === id, `email ${email} gave ${user.id}, expected ${id}`);
  },
}));
